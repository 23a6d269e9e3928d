// Package testutil finds the shared test corpus and external tools for
// medtap's tests.
package testutil

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// RepoRoot returns the directory holding go.mod, walking up from the
// current directory (a package directory under go test).
func RepoRoot(t testing.TB) string {
	t.Helper()
	root := repoRoot()
	if root == "" {
		t.Fatal("go.mod not found above the test directory")
	}
	return root
}

func repoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// CorpusRoot returns ../shared/corpus beside the repository, or "" when it
// is absent. Fuzz targets use it to add seeds without skipping.
func CorpusRoot() string {
	root := repoRoot()
	if root == "" {
		return ""
	}
	dir := filepath.Join(root, "..", "shared", "corpus")
	if _, err := os.Stat(dir); err != nil {
		return ""
	}
	return dir
}

// Corpus returns ../shared/corpus/sub beside the repository, or skips the
// test when it is absent (a clone of the repository alone has none).
func Corpus(t testing.TB, sub string) string {
	t.Helper()
	root := CorpusRoot()
	if root == "" {
		t.Skip("shared corpus ../shared/corpus not present beside the repository")
	}
	dir := filepath.Join(root, sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared corpus %s not present: %v", dir, err)
	}
	return dir
}

// Tool returns the path of an external program, or skips the test with a
// message naming the Debian package that provides it.
func Tool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not installed (apt-get install %s); .ci/run installs it", name, debianPackage)
	}
	return p
}
