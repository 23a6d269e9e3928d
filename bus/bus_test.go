package bus_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/medtap/medtap/bus"
)

type recorder struct{ got []string }

func (r *recorder) Publish(typ string, data []byte) error {
	r.got = append(r.got, typ+" "+string(data))
	return nil
}
func (r *recorder) Close(context.Context) error { return nil }

func TestLineWriter(t *testing.T) {
	var r recorder
	w := &bus.LineWriter{P: &r}
	for _, chunk := range []string{`{"type":"alert","id":"net.scan"}` + "\n" + `{"type":"dev`, `ice"}` + "\n\n", `[1]` + "\n", `{"type":"a b"}` + "\n", `{"type":"summary"}`} {
		if n, err := w.Write([]byte(chunk)); n != len(chunk) || err != nil {
			t.Fatal(n, err)
		}
	}
	want := []string{`alert {"type":"alert","id":"net.scan"}`, `device {"type":"device"}`, `other [1]`, `other {"type":"a b"}`}
	if fmt.Sprint(r.got) != fmt.Sprint(want) {
		t.Errorf("got %q\nwant %q", r.got, want)
	}
}
