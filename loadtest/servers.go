package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// proc is a server process the tool started and must stop.
type proc struct {
	Name string
	Base string // http://127.0.0.1:port
	Log  string // the file its output goes to

	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // its exit status, once done is closed
}

// readyTimeout bounds the wait for a server to answer: the portal opens and
// migrates its database and, in development, checks the demo data first.
const readyTimeout = 5 * time.Minute

// startServer runs bin with args on a free loopback port and waits until
// readyPath answers 200. addrEnv names the environment variable that takes
// the address; when empty the address is passed as -addr.
func startServer(ctx context.Context, name, bin string, args, env []string, addrEnv, readyPath, logPath string) (*proc, error) {
	addr, err := freeLoopbackAddr()
	if err != nil {
		return nil, err
	}
	if addrEnv != "" {
		env = append(env, addrEnv+"="+addr)
	} else {
		args = append(args, "-addr", addr)
	}
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close() // the child holds its own descriptor
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	s := &proc{Name: name, Base: "http://" + addr, Log: logPath, cmd: cmd, done: make(chan struct{})}
	go func() {
		s.err = cmd.Wait()
		close(s.done)
	}()
	if err := s.waitReady(ctx, readyPath); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// waitReady polls readyPath until it answers 200, the process exits, or the
// wait times out.
func (s *proc) waitReady(ctx context.Context, readyPath string) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.Base+readyPath, nil)
		if res, err := client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.done:
			return fmt.Errorf("%s exited before it was ready (%v); its output:\n%s", s.Name, s.err, tail(s.Log, 40))
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) {
				return fmt.Errorf("%s did not answer %s within %s; its output:\n%s", s.Name, readyPath, readyTimeout, tail(s.Log, 40))
			}
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// Stop asks the server to shut down (SIGTERM) and waits for it; a server
// still running after its grace period is killed.
func (s *proc) Stop() error {
	select {
	case <-s.done:
		return nil
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		_ = s.cmd.Process.Kill()
	}
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
		return fmt.Errorf("%s did not stop within 30s of SIGTERM and was killed", s.Name)
	}
	var exit *exec.ExitError
	if errors.As(s.err, &exit) {
		return fmt.Errorf("%s stopped with %v; its output is in %s", s.Name, s.err, s.Log)
	}
	return nil
}

// Pid is the server's process id.
func (s *proc) Pid() int { return s.cmd.Process.Pid }

// Exited reports whether the process has ended, and how.
func (s *proc) Exited() (bool, error) {
	select {
	case <-s.done:
		return true, s.err
	default:
		return false, nil
	}
}

// freeLoopbackAddr finds a free port on 127.0.0.1. The port is free when
// checked; another program could take it before the server binds it, in
// which case the server fails to start and says so.
func freeLoopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// requireLoopback refuses any address off this machine: the tool only ever
// loads servers it started itself, on the loopback interface.
func requireLoopback(hostport string) error {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		return err
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%s is not a loopback address; the load test only targets this machine", hostport)
}

// tail is the last n lines of a file, for error messages.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return "(" + err.Error() + ")"
	}
	lines := bytes.Split(bytes.TrimRight(b, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
