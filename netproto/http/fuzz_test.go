package http

import (
	"errors"
	"reflect"
	"testing"
)

// FuzzDecoder feeds arbitrary bytes to a Decoder whole and in chunks: the
// results must be the same, the decoder must make progress, stay within its
// limits, and report errors at offsets inside the input.
func FuzzDecoder(f *testing.F) {
	for i, tt := range decodeTests {
		f.Add([]byte(tt.in), uint64(i*7919+1), len(tt.requests) > 0)
	}
	f.Add(benchStream()[:3000], uint64(12345), false)
	d1 := &Decoder{MaxHead: 256, MaxHeaders: 8, MaxPath: 16, MaxBodyPrefix: 200, IsDefault: isDefaultTest}
	d2 := &Decoder{MaxHead: 256, MaxHeaders: 8, MaxPath: 16, MaxBodyPrefix: 200, IsDefault: isDefaultTest}
	f.Fuzz(func(t *testing.T, data []byte, seed uint64, responses bool) {
		var reqs []string
		if responses {
			reqs = []string{"GET", "HEAD", "CONNECT", "GET", "HEAD"}
		}
		whole := decodeAll(d1, data, 0, reqs...)
		chunk := int(seed%31) + 1
		if got := decodeAll(d2, data, chunk, reqs...); !reflect.DeepEqual(got, whole) {
			t.Fatalf("chunks of %d: %q\nwhole: %q", chunk, got, whole)
		}
		if len(whole) > len(data)+2 {
			t.Fatalf("%d results from %d bytes", len(whole), len(data))
		}
		if b := d1.Buffered(); b > 2*(256+200)+64 {
			t.Fatalf("holds %d bytes", b)
		}
		// Offsets inside the input.
		d1.Reset()
		d1.Feed(data)
		d1.Flush()
		for range len(data) + 3 {
			m, err := d1.Next()
			if err == ErrNeedMore {
				return
			}
			var e *Error
			if err != nil {
				if !errors.As(err, &e) || e.Offset < 0 || e.Offset > int64(len(data)) {
					t.Fatalf("error %v has no offset inside the input", err)
				}
				continue
			}
			if m.Offset < 0 || m.Offset >= int64(len(data)) || len(m.Target) > 16 || len(m.Head) > 256 {
				t.Fatalf("message out of bounds: %s", summary(m, nil))
			}
		}
		t.Fatal("no end")
	})
}
