// Command floor is the least a gate that reads the repository must do, for
// measuring upgradegate against (go run ./internal/bench): walk the tree
// (skipping .git, node_modules, vendor and .terraform, as discovery does),
// read every YAML file, and parse with yaml.v3 into nodes every file that
// may hold a manifest or a policy by the same byte test discovery uses
// ("Upgrade" or "upgradegate/"). It prints how many files it read and parsed.
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"gopkg.in/yaml.v3"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: floor DIR")
		os.Exit(2)
	}
	read, parsed, err := floor(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	fmt.Printf("%d files read, %d parsed\n", read, parsed)
}

var skip = map[string]bool{".git": true, "node_modules": true, "vendor": true, ".terraform": true}

// floor walks dir and reads and parses its files on every CPU, as check does.
func floor(dir string) (read, parsed int, err error) {
	var files []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skip[d.Name()] && p != dir {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(p); (ext == ".yaml" || ext == ".yml") && d.Type().IsRegular() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		next = make(chan string)
		errs []error
	)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range next {
				n, err := parse(p)
				mu.Lock()
				read++
				parsed += n
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", p, err))
				}
				mu.Unlock()
			}
		}()
	}
	for _, p := range files {
		next <- p
	}
	close(next)
	wg.Wait()
	return read, parsed, errors.Join(errs...)
}

// parse reads a file and decodes every document of it into nodes when it
// may hold a manifest; a file that does not parse counts as parsed (the gate
// reports it).
func parse(p string) (int, error) {
	data, err := os.ReadFile(p)
	if err != nil {
		return 0, err
	}
	if !bytes.Contains(data, []byte("Upgrade")) && !bytes.Contains(data, []byte("upgradegate/")) {
		return 0, nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			break // io.EOF, or a document that does not parse: the rest is not read either
		}
	}
	return 1, nil
}
