package config

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// EnsureSecretKey fills c.SecretKey in development from dataDir/secret.key,
// creating that file with a fresh random key the first time. Keeping the key
// on disk means encrypted demo data and sessions survive a restart.
func EnsureSecretKey(c *Config) error {
	if len(c.SecretKey) > 0 {
		return nil
	}
	if c.IsProduction() {
		return errors.New("PORTAL_SECRET_KEY: is required in production")
	}
	path := filepath.Join(c.DataDir, "secret.key")
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return err
		}
		if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
			return fmt.Errorf("creating %s: %w", c.DataDir, err)
		}
		if err := os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		c.SecretKey = key
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	key, err := DecodeSecretKey(string(raw))
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	c.SecretKey = key
	return nil
}
