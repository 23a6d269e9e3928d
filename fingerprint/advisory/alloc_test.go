//go:build !race

package advisory

import "testing"

func TestAppendMatchAllocs(t *testing.T) {
	dst := make([]Advisory, 0, 32)
	if matchAll(dst) == 0 {
		t.Fatal("the benchmark queries match nothing")
	}
	if allocs := testing.AllocsPerRun(100, func() { matchAll(dst) }); allocs != 0 {
		t.Errorf("%v allocs per run, want 0", allocs)
	}
}

func TestMatchAllocs(t *testing.T) {
	// The result is the one allocation; no result, none.
	for _, tt := range []struct {
		vendor, product string
		want            float64
	}{
		{"Philips", "Vue PACS", 1},
		{"BD", "Alaris", 1}, // more than Match's stack buffer holds
		{"Philips", "DigitalDiagnost C90", 0},
		{"Hologic", "Selenia Dimensions", 0},
	} {
		if allocs := testing.AllocsPerRun(100, func() { Match(tt.vendor, tt.product, "") }); allocs != tt.want {
			t.Errorf("Match(%q, %q): %v allocs, want %v", tt.vendor, tt.product, allocs, tt.want)
		}
	}
}
