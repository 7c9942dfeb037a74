package main

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"sync"
)

// Store maps short codes to URLs in memory.
type Store struct {
	mu    sync.RWMutex
	codes map[string]string
}

func NewStore() *Store { return &Store{codes: make(map[string]string)} }

var errBadURL = errors.New("url must be absolute http(s)")

// Shorten returns a stable 8-character code for an absolute http(s) URL.
func (s *Store) Shorten(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", errBadURL
	}
	sum := sha256.Sum256([]byte(u.String()))
	code := base64.RawURLEncoding.EncodeToString(sum[:])[:8]
	s.mu.Lock()
	s.codes[code] = u.String()
	s.mu.Unlock()
	return code, nil
}

// Resolve looks a code up.
func (s *Store) Resolve(code string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	target, ok := s.codes[code]
	return target, ok
}
