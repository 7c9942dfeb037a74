// shorty: a small URL shortener service (standard library only).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
)

const version = "0.3.1"

func routes(store *Store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]string{"status": "ok", "version": version})
	})
	mux.HandleFunc("/shorten", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		code, err := store.Shorten(r.FormValue("url"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, "/r/%s\n", code)
	})
	mux.HandleFunc("/r/", func(w http.ResponseWriter, r *http.Request) {
		target, ok := store.Resolve(strings.TrimPrefix(r.URL.Path, "/r/"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		http.Redirect(w, r, target, http.StatusFound)
	})
	return mux
}

// selfTest drives the handlers in-process, so the smoke test needs no network.
func selfTest() error {
	h := routes(NewStore())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("POST", "/shorten?url=https://example.com/a", nil))
	if rec.Code != http.StatusOK {
		return fmt.Errorf("shorten: status %d", rec.Code)
	}
	path := strings.TrimSpace(rec.Body.String())
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
	if rec.Code != http.StatusFound || rec.Header().Get("Location") != "https://example.com/a" {
		return fmt.Errorf("resolve: status %d location %q", rec.Code, rec.Header().Get("Location"))
	}
	return nil
}

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	showVersion := flag.Bool("version", false, "print the version and exit")
	test := flag.Bool("self-test", false, "run the built-in self-test and exit")
	flag.Parse()
	switch {
	case *showVersion:
		fmt.Println("shorty", version)
	case *test:
		if err := selfTest(); err != nil {
			fmt.Fprintln(os.Stderr, "self-test failed:", err)
			os.Exit(1)
		}
		fmt.Println("self-test ok")
	default:
		log.Printf("shorty %s listening on %s", version, *addr)
		log.Fatal(http.ListenAndServe(*addr, routes(NewStore())))
	}
}
