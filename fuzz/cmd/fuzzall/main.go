// Command fuzzall finds every native Go fuzz target (func FuzzXxx(f
// *testing.F) in a _test.go file) in the module and runs each for a fixed
// time, one after another, stopping at the first failure.
//
// Usage:
//
//	go run ./fuzz/cmd/fuzzall [-time 10s] [-budget 6m] [-run REGEXP] [-list] [PACKAGES]
//
// PACKAGES defaults to ./... . A failing target leaves its crasher in the
// package's testdata/fuzz directory; fuzzall exits 1.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

type target struct {
	pkg  string // import path
	dir  string
	name string
}

func main() {
	fuzzTime := flag.Duration("time", 10*time.Second, "how long to fuzz each target")
	run := flag.String("run", "", "only targets whose package/name matches this regexp")
	list := flag.Bool("list", false, "list the targets and exit")
	keepGoing := flag.Bool("k", false, "keep going after a failure")
	budget := flag.Duration("budget", 0, "bound the whole run: each target gets less than -time when needed to finish within it (at least 1s each); targets that no longer fit are skipped, starting each day from another target so all are fuzzed over the days")
	flag.Parse()
	patterns := flag.Args()
	if len(patterns) == 0 {
		patterns = []string{"./..."}
	}
	var re *regexp.Regexp
	if *run != "" {
		var err error
		if re, err = regexp.Compile(*run); err != nil {
			fmt.Fprintln(os.Stderr, "fuzzall:", err)
			os.Exit(2)
		}
	}
	targets, err := findTargets(patterns)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fuzzall:", err)
		os.Exit(1)
	}
	var selected []target
	for _, t := range targets {
		if re == nil || re.MatchString(t.pkg+"/"+t.name) {
			selected = append(selected, t)
		}
	}
	if *list {
		for _, t := range selected {
			fmt.Printf("%s %s\n", t.pkg, t.name)
		}
		return
	}
	if len(selected) == 0 {
		fmt.Fprintln(os.Stderr, "fuzzall: no fuzz targets found")
		os.Exit(1)
	}
	passed, failed, flaky, skipped := 0, 0, 0, 0
	start := time.Now()
	if *budget > 0 && len(selected) > 1 {
		// Start from another target each day, so that the targets a
		// budget leaves out are not always the same.
		k := time.Now().YearDay() % len(selected)
		selected = append(selected[k:], selected[:k]...)
	}
	for i, t := range selected {
		d := *fuzzTime
		if *budget > 0 && time.Since(start)+5*time.Second > *budget {
			skipped = len(selected) - i
			fmt.Printf("=== fuzz budget %s spent: %d targets left for another day\n", *budget, skipped)
			break
		}
		if *budget > 0 {
			// What is left, shared among the targets left, less what
			// building and replaying the seeds cost each (about 4s).
			share := (*budget-time.Since(start))/time.Duration(len(selected)-i) - 4*time.Second
			d = max(min(d, share), time.Second).Round(time.Second)
		}
		fmt.Printf("=== fuzz %d/%d %s %s (%s)\n", i+1, len(selected), t.pkg, t.name, d)
		cmd := exec.Command("go", "test", "-run", "^$", "-fuzz", "^"+t.name+"$",
			"-fuzztime", d.String(), "-fuzzminimizetime", "10s", "-parallel", "2", t.pkg)
		out, err := cmd.CombinedOutput()
		if err != nil {
			os.Stdout.Write(out)
			// Replay the target's seeds, the new crasher included: a failure
			// that does not reproduce (an allocation by the fuzzing
			// machinery, a worker that died) is reported but does not fail
			// the run; one that reproduces does.
			replay := exec.Command("go", "test", "-count=1", "-run", "^"+t.name+"$", t.pkg)
			if rout, rerr := replay.CombinedOutput(); rerr == nil {
				flaky++
				fmt.Printf("--- FLAKY fuzz %s %s: failed while fuzzing, but every seed (crasher included) passes on replay\n", t.pkg, t.name)
			} else {
				failed++
				os.Stdout.Write(rout)
				fmt.Printf("--- FAIL fuzz %s %s\n", t.pkg, t.name)
				if crashers, _ := filepath.Glob(filepath.Join(t.dir, "testdata", "fuzz", t.name, "*")); len(crashers) > 0 {
					fmt.Printf("    crashers kept in %s\n", filepath.Join(t.dir, "testdata", "fuzz", t.name))
				}
				if !*keepGoing {
					break
				}
			}
			continue
		}
		passed++
		fmt.Printf("--- ok   fuzz %s %s %s\n", t.pkg, t.name, lastLine(out, "elapsed:"))
	}
	fmt.Printf("fuzz targets: %d run in %s, %d failed while fuzzing but not on replay, %d skipped by the budget\n", passed+failed+flaky, time.Since(start).Round(time.Second), flaky, skipped)
	fmt.Printf("fuzz: %d passed, %d failed\n", passed+flaky, failed)
	if failed > 0 {
		os.Exit(1)
	}
}

// lastLine returns the last line of out containing substr, trimmed.
func lastLine(out []byte, substr string) string {
	lines := strings.Split(string(out), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.Contains(lines[i], substr) {
			return strings.TrimSpace(lines[i])
		}
	}
	return ""
}

type listedPackage struct {
	ImportPath   string
	Dir          string
	TestGoFiles  []string
	XTestGoFiles []string
}

func findTargets(patterns []string) ([]target, error) {
	args := append([]string{"list", "-json"}, patterns...)
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var targets []target
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		files := append(p.TestGoFiles, p.XTestGoFiles...)
		for _, f := range files {
			names, err := fuzzFuncs(filepath.Join(p.Dir, f))
			if err != nil {
				return nil, err
			}
			for _, n := range names {
				targets = append(targets, target{pkg: p.ImportPath, dir: p.Dir, name: n})
			}
		}
	}
	return targets, nil
}

// fuzzFuncs returns the names of the fuzz targets declared in file.
func fuzzFuncs(file string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Recv != nil || !strings.HasPrefix(fd.Name.Name, "Fuzz") || fd.Type.Params.NumFields() != 1 {
			continue
		}
		star, ok := fd.Type.Params.List[0].Type.(*ast.StarExpr)
		if !ok {
			continue
		}
		if sel, ok := star.X.(*ast.SelectorExpr); ok && sel.Sel.Name == "F" {
			names = append(names, fd.Name.Name)
		}
	}
	return names, nil
}
