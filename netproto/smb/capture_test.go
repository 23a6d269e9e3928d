package smb

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestCapture decodes every stream of the smbclient/smbd capture (see
// testdata/record.sh) and compares with testdata/smb.golden; cutting the
// streams into chunks of other sizes gives the same items.
func TestCapture(t *testing.T) {
	var all []string
	for _, s := range readStreams(t, filepath.Join("testdata", "smb.pcap")) {
		var d Decoder
		lines := decodeAll(&d, s.data, 1<<20, nil)
		all = append(all, "# "+s.name)
		all = append(all, lines...)
		for _, chunk := range []int{1, 7, 1460} {
			d.Reset()
			if got := decodeAll(&d, s.data, chunk, nil); !slices.Equal(got, lines) {
				t.Errorf("%s in %d-byte chunks: items differ", s.name, chunk)
			}
		}
	}
	golden := filepath.Join("testdata", "smb.golden")
	text := strings.Join(all, "\n") + "\n"
	if *update {
		if err := os.WriteFile(golden, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if text != string(want) {
		t.Errorf("items differ from %s (go test -update to rewrite)", golden)
	}
}
