package dicom

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// walkAll reads every header and value of the input and returns the number
// of headers and the first error other than io.EOF.
func walkAll(p *Parser) (n int, err error) {
	for {
		_, err := p.Next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
		p.Value()
	}
}

var modCache = sync.OnceValue(func() string {
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
})

// suyashFile returns the contents of name from suyashkumar/dicom's testdata:
// dicom/testdata when copied there, else the module cache; it skips the test
// when neither has it.
func suyashFile(t testing.TB, name string) []byte {
	t.Helper()
	if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
		return b
	}
	dir := modCache()
	if dir == "" {
		t.Skip("go env GOMODCACHE failed; suyashkumar/dicom testdata unavailable")
	}
	b, err := os.ReadFile(filepath.Join(dir, "github.com/suyashkumar/dicom@v1.1.0/testdata", name))
	if err != nil {
		t.Skipf("suyashkumar/dicom testdata not in module cache (go mod download github.com/suyashkumar/dicom): %v", err)
	}
	return b
}

func isErr(err, target error) bool { return errors.Is(err, target) }

func asError(err error, target **Error) bool { return errors.As(err, target) }
