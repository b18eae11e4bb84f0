package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// moduleRoot is the folder of the portal's go.mod: `go env GOMOD` from the
// working folder, so the tool works when started from a subfolder too.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", errors.New("not inside a Go module: run the tool from the portal's folder")
	}
	return filepath.Dir(gomod), nil
}

// buildPortal compiles the portal into dir, as `go build` would for a
// release, and returns the binary's path.
func buildPortal(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "portal")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
	cmd.Dir = root
	cmd.Stdout = os.Stderr
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building the portal: %w", err)
	}
	return bin, nil
}
