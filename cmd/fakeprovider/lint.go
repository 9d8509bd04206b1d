package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/fakeprovider/fakeprovider/internal/app"
	"github.com/fakeprovider/fakeprovider/internal/scenario"
)

// lintScenarios validates scenario files (or every .yaml/.yml/.json file in
// the directories given) against the format and the providers' events.
func lintScenarios(paths []string, stdout io.Writer) error {
	if len(paths) == 0 {
		return fmt.Errorf("%w: fakeprovider scenarios lint PATH…", errUsage)
	}
	a, err := app.New(context.Background(), app.Options{NoListen: true}, app.Providers())
	if err != nil {
		return err
	}
	defer a.Close()
	// The built-ins are parsed on first use: a broken one fails here.
	if err := a.Engine.LoadBuiltins(); err != nil {
		return err
	}

	var files []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return err
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".yaml", ".yml", ".json":
				if !d.IsDir() && !strings.HasSuffix(path, "schema.json") {
					files = append(files, path)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	bad := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		if _, err := a.Engine.Lint(context.Background(), f, data); err != nil {
			bad++
			var le *scenario.LintError
			if errors.As(err, &le) {
				fmt.Fprintln(stdout, err.Error()) // every problem, one a line
			} else {
				fmt.Fprintf(stdout, "%s: %v\n", f, err)
			}
			continue
		}
		fmt.Fprintf(stdout, "ok %s\n", f)
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d scenario files have errors", bad, len(files))
	}
	return nil
}
