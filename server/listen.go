package server

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
)

// ListenSocket listens on the unix socket of a data directory
// (SocketFile), readable by its owner only. A socket a server left
// behind is replaced; a file of another kind there is an error.
func ListenSocket(dataDir string) (net.Listener, error) {
	path := filepath.Join(dataDir, SocketFile)
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("%s exists and is not a socket; remove it", path)
		}
		os.Remove(path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, err
	}
	return ln, nil
}

// IsLoopbackAddr reports whether a listen address (host:port) is on
// loopback only: localhost, 127.0.0.0/8 or ::1.
func IsLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
