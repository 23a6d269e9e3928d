package spool

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func mustOpen(t *testing.T, cfg Config) *Spool {
	t.Helper()
	s, err := Open(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func readN(t *testing.T, s *Spool, n int) []Record {
	t.Helper()
	var out []Record
	for range n {
		var r Record
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := s.Next(ctx, &r)
		cancel()
		if err != nil {
			t.Fatalf("after %d records: %v", len(out), err)
		}
		out = append(out, r)
	}
	return out
}

func TestAppendReadCommitResume(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, Config{Dir: dir, SegmentBytes: 4096, MaxBytes: 1 << 20})
	for i := range 200 {
		if err := s.Append("medtap.a.event", fmt.Sprintf("id-%d", i), fmt.Appendf(nil, `{"n":%d}`, i)); err != nil {
			t.Fatal(err)
		}
	}
	got := readN(t, s, 50)
	for i, r := range got {
		if r.ID != fmt.Sprintf("id-%d", i) || string(r.Data) != fmt.Sprintf(`{"n":%d}`, i) || r.Subject != "medtap.a.event" {
			t.Fatalf("record %d: %+v", i, r)
		}
	}
	// Records 40..49 were not acknowledged: read them again.
	s.Rewind(got[40].Pos)
	again := readN(t, s, 10)
	if again[0].ID != "id-40" || again[9].ID != "id-49" {
		t.Fatalf("after rewind: %s..%s", again[0].ID, again[9].ID)
	}
	if err := s.Commit(got[40].Pos); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Segments < 2 || st.Appended != 200 || st.Dropped != 0 {
		t.Fatalf("stats %+v", st)
	}
	s.Close()

	// Reopened: everything from the committed segment on is there again.
	s = mustOpen(t, Config{Dir: dir, SegmentBytes: 4096, MaxBytes: 1 << 20})
	defer s.Close()
	var r Record
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := s.Next(ctx, &r); err != nil {
		t.Fatal(err)
	}
	var first int
	fmt.Sscanf(r.ID, "id-%d", &first)
	if first > 40 {
		t.Fatalf("resumed at %s, after the uncommitted id-40", r.ID)
	}
	n := 1
	for s.Pending() {
		readN(t, s, 1)
		n++
	}
	if first+n != 200 {
		t.Errorf("resumed %d records from id-%d, want up to id-199", n, first)
	}
	if st := s.Stats(); st.Recovered != uint64(200-first) {
		t.Errorf("recovered %d, want %d", st.Recovered, 200-first)
	}
}

func TestCapDropsOldest(t *testing.T) {
	s := mustOpen(t, Config{Dir: t.TempDir(), SegmentBytes: 4096, MaxBytes: 16384})
	defer s.Close()
	payload := make([]byte, 100)
	for i := range 1000 {
		if err := s.Append("s", fmt.Sprint(i), payload); err != nil {
			t.Fatal(err)
		}
	}
	st := s.Stats()
	if st.Bytes > 16384 || st.Dropped == 0 || st.Dropped+uint64(countLeft(t, s)) != 1000 {
		t.Errorf("stats %+v", st)
	}
}

func countLeft(t *testing.T, s *Spool) int {
	n := 0
	for s.Pending() {
		readN(t, s, 1)
		n++
	}
	return n
}

func TestTornTail(t *testing.T) {
	dir := t.TempDir()
	s := mustOpen(t, Config{Dir: dir})
	for i := range 3 {
		s.Append("s", fmt.Sprint(i), []byte("data"))
	}
	s.Close()
	ents, _ := os.ReadDir(dir)
	name := filepath.Join(dir, ents[len(ents)-1].Name())
	if fi, _ := os.Stat(name); fi.Size() == 0 {
		name = filepath.Join(dir, ents[0].Name())
	}
	fi, _ := os.Stat(name)
	os.Truncate(name, fi.Size()-3) // a crash in the middle of the last record
	s = mustOpen(t, Config{Dir: dir})
	defer s.Close()
	if st := s.Stats(); st.Recovered != 2 || st.TruncatedBytes == 0 {
		t.Errorf("stats %+v", st)
	}
	if got := readN(t, s, 2); got[1].ID != "1" {
		t.Errorf("records %+v", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var r Record
	if err := s.Next(ctx, &r); err != context.DeadlineExceeded {
		t.Errorf("past the end: %v", err)
	}
}
