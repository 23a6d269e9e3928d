// Package spool is a bounded queue of records on disk: what a bus sink
// holds until the bus has acknowledged it, and what it keeps while the bus
// is unreachable. Records are appended to segment files in a directory,
// read back in order by one reader, and deleted when the reader commits
// past their segment; past the size cap the oldest segment is dropped and
// its records counted. A spool opened on a directory that holds segments
// resumes them (a sensor restarted while its bus was down loses nothing).
//
// A Spool is used by one writer and one reader goroutine.
package spool

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Config configures a [Spool]. The zero value of a field selects its
// default.
type Config struct {
	Dir string // the directory of the segment files, created if needed (required)
	// MaxBytes caps the segments on disk; default 256 MiB. Past it the
	// oldest segment is dropped, even unsent, and its records counted.
	MaxBytes int64
	// SegmentBytes is the size at which a new segment starts; default 8
	// MiB, at most a quarter of MaxBytes.
	SegmentBytes int64
	// MaxRecordBytes caps one record; default 8 MiB.
	MaxRecordBytes int
}

// A Record is one message: the subject it goes to, the ID that
// de-duplicates it, and its data.
type Record struct {
	Subject string
	ID      string
	Data    []byte
	// Pos is where the record is in the spool; the reader commits or
	// rewinds to it.
	Pos Pos
}

// Pos is a position in a spool: a segment and an offset in it.
type Pos struct {
	Seg uint64
	Off int64
}

// Stats counts what a spool holds and lost.
type Stats struct {
	Bytes          int64  // on disk now
	Segments       int    // on disk now
	Appended       uint64 // records appended since Open
	Dropped        uint64 // records dropped at MaxBytes, unsent
	DroppedBytes   int64
	Recovered      uint64 // records found on disk at Open
	TruncatedBytes int64  // a torn record at the end of the last segment, cut at Open
}

// Errors.
var (
	ErrClosed    = errors.New("spool: closed")
	ErrTooLarge  = errors.New("spool: record larger than MaxRecordBytes")
	ErrCorrupted = errors.New("spool: corrupted segment")
)

const headerLen = 12 // u32 length of the rest, u32 crc32 of the rest, u16 subject, u16 id

type segment struct {
	n       uint64 // its number: the file is seg-<n>
	bytes   int64
	records uint64
}

// Spool is a bounded on-disk queue of records.
type Spool struct {
	cfg    Config
	mu     sync.Mutex
	segs   []segment // oldest first; the last one is being written
	w      *os.File
	wbuf   []byte // whole records not yet written to w
	notify chan struct{}
	closed bool
	stats  Stats

	// The reader's, under mu only when it touches segs.
	rpos Pos
	rf   *os.File
	rbr  *bufio.Reader
	rseg uint64 // the segment rf is
	buf  []byte
}

// Open opens the spool in cfg.Dir, resuming the segments there.
func Open(cfg Config) (*Spool, error) {
	if cfg.Dir == "" {
		return nil, errors.New("spool: no directory")
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 256 << 20
	}
	if cfg.SegmentBytes <= 0 {
		cfg.SegmentBytes = 8 << 20
	}
	cfg.SegmentBytes = max(min(cfg.SegmentBytes, cfg.MaxBytes/4), 4096)
	if cfg.MaxRecordBytes <= 0 {
		cfg.MaxRecordBytes = 8 << 20
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, err
	}
	s := &Spool{cfg: cfg, notify: make(chan struct{}, 1)}
	ents, err := os.ReadDir(cfg.Dir)
	if err != nil {
		return nil, err
	}
	for _, e := range ents {
		num, ok := strings.CutPrefix(e.Name(), "seg-")
		if !ok {
			continue
		}
		n, err := strconv.ParseUint(num, 10, 64)
		if err != nil {
			continue
		}
		s.segs = append(s.segs, segment{n: n})
	}
	slices.SortFunc(s.segs, func(a, b segment) int { return cmpU64(a.n, b.n) })
	for i := range s.segs {
		if err := s.scan(&s.segs[i], i == len(s.segs)-1); err != nil {
			return nil, err
		}
		s.stats.Recovered += s.segs[i].records
	}
	next := uint64(1)
	if len(s.segs) > 0 {
		next = s.segs[len(s.segs)-1].n + 1
	}
	if err := s.startSegment(next); err != nil {
		return nil, err
	}
	s.rpos = Pos{Seg: s.segs[0].n}
	s.stats.Appended = 0
	return s, nil
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (s *Spool) path(n uint64) string {
	return filepath.Join(s.cfg.Dir, fmt.Sprintf("seg-%020d", n))
}

// scan counts a segment's records; a torn record at the end of the last
// segment is cut off, elsewhere it is an error.
func (s *Spool) scan(seg *segment, last bool) error {
	f, err := os.OpenFile(s.path(seg.n), os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var off int64
	for {
		n, err := s.readRecord(br, nil)
		if err == io.EOF {
			break
		}
		if err != nil {
			if !last {
				return fmt.Errorf("%w: %s at offset %d: %v", ErrCorrupted, s.path(seg.n), off, err)
			}
			fi, _ := f.Stat()
			s.stats.TruncatedBytes += fi.Size() - off
			if err := f.Truncate(off); err != nil {
				return err
			}
			break
		}
		off += int64(n)
		seg.records++
	}
	seg.bytes = off
	s.stats.Bytes += off
	return nil
}

// readRecord reads one record into r (when not nil) and returns its size.
func (s *Spool) readRecord(br *bufio.Reader, r *Record) (int, error) {
	var h [headerLen]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		if err == io.ErrUnexpectedEOF {
			return 0, errors.New("torn header")
		}
		return 0, err
	}
	n := int(binary.LittleEndian.Uint32(h[0:]))
	sum := binary.LittleEndian.Uint32(h[4:])
	sl, il := int(binary.LittleEndian.Uint16(h[8:])), int(binary.LittleEndian.Uint16(h[10:]))
	if n < 4+sl+il || n > s.cfg.MaxRecordBytes+4+sl+il {
		return 0, fmt.Errorf("record length %d", n)
	}
	if cap(s.buf) < n {
		s.buf = make([]byte, n)
	}
	b := s.buf[:n]
	copy(b, h[8:12])
	if _, err := io.ReadFull(br, b[4:]); err != nil {
		return 0, errors.New("torn record")
	}
	if crc32.ChecksumIEEE(b) != sum {
		return 0, errors.New("checksum mismatch")
	}
	if r != nil {
		r.Subject = string(b[4 : 4+sl])
		r.ID = string(b[4+sl : 4+sl+il])
		r.Data = append(r.Data[:0], b[4+sl+il:]...)
	}
	return 8 + n, nil
}

// flush writes the buffered records to the segment file: whole records
// only, so a reader never meets half of one.
func (s *Spool) flush() error {
	if len(s.wbuf) == 0 || s.w == nil {
		return nil
	}
	_, err := s.w.Write(s.wbuf)
	s.wbuf = s.wbuf[:0]
	return err
}

func (s *Spool) startSegment(n uint64) error {
	if s.w != nil {
		if err := s.flush(); err != nil {
			return err
		}
		s.w.Close()
	}
	f, err := os.OpenFile(s.path(n), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	s.w = f
	if len(s.segs) == 0 || s.segs[len(s.segs)-1].n != n {
		s.segs = append(s.segs, segment{n: n})
	}
	return nil
}

// Append adds a record at the end. It never blocks on the reader: past
// MaxBytes the oldest segment is dropped.
func (s *Spool) Append(subject, id string, data []byte) error {
	if len(data) > s.cfg.MaxRecordBytes || len(subject) > 0xffff || len(id) > 0xffff {
		return ErrTooLarge
	}
	n := 4 + len(subject) + len(id) + len(data)
	rec := make([]byte, 0, 8+n)
	rec = binary.LittleEndian.AppendUint32(rec, uint32(n))
	rec = append(rec, 0, 0, 0, 0) // the checksum
	rec = binary.LittleEndian.AppendUint16(rec, uint16(len(subject)))
	rec = binary.LittleEndian.AppendUint16(rec, uint16(len(id)))
	rec = append(append(append(rec, subject...), id...), data...)
	binary.LittleEndian.PutUint32(rec[4:], crc32.ChecksumIEEE(rec[8:]))

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	cur := &s.segs[len(s.segs)-1]
	if cur.bytes > 0 && cur.bytes+int64(len(rec)) > s.cfg.SegmentBytes {
		if err := s.startSegment(cur.n + 1); err != nil {
			return err
		}
		cur = &s.segs[len(s.segs)-1]
	}
	s.wbuf = append(s.wbuf, rec...)
	if len(s.wbuf) >= 64<<10 {
		if err := s.flush(); err != nil {
			return err
		}
	}
	cur.bytes += int64(len(rec))
	cur.records++
	s.stats.Bytes += int64(len(rec))
	s.stats.Appended++
	for s.stats.Bytes > s.cfg.MaxBytes && len(s.segs) > 1 {
		old := s.segs[0]
		s.segs = s.segs[1:]
		os.Remove(s.path(old.n))
		s.stats.Bytes -= old.bytes
		// What the reader already sent of it is not lost; the rest is.
		lost, lostBytes := old.records, old.bytes
		if s.rpos.Seg == old.n {
			lost, lostBytes = s.unreadIn(old), old.bytes-s.rpos.Off
		} else if s.rpos.Seg > old.n {
			lost, lostBytes = 0, 0
		}
		s.stats.Dropped += lost
		s.stats.DroppedBytes += lostBytes
	}
	select {
	case s.notify <- struct{}{}:
	default:
	}
	return nil
}

// unreadIn estimates the records of seg the reader has not read: all of
// them when it is at the start, else in proportion to the bytes left.
func (s *Spool) unreadIn(seg segment) uint64 {
	if s.rpos.Off == 0 || seg.bytes == 0 {
		return seg.records
	}
	return uint64(float64(seg.records) * float64(seg.bytes-s.rpos.Off) / float64(seg.bytes))
}

// Next returns the record at the reader's position and moves past it,
// waiting for one to be appended when there is none, until ctx is done.
// r.Data is reused by the next call.
func (s *Spool) Next(ctx context.Context, r *Record) error {
	for {
		ok, err := s.tryNext(r)
		if err != nil || ok {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.notify:
		}
	}
}

// tryNext reads the next record if there is one.
func (s *Spool) tryNext(r *Record) (bool, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return false, ErrClosed
	}
	// Skip to the oldest segment left when the reader's was dropped.
	if first := s.segs[0].n; s.rpos.Seg < first {
		s.rpos = Pos{Seg: first}
	}
	last := s.segs[len(s.segs)-1]
	seg := last
	for _, g := range s.segs {
		if g.n >= s.rpos.Seg {
			seg = g
			break
		}
	}
	if seg.n == last.n && s.rpos.Off >= seg.bytes-int64(len(s.wbuf)) {
		// The reader has read what reached the file: write out the rest.
		if err := s.flush(); err != nil {
			s.mu.Unlock()
			return false, err
		}
	}
	s.mu.Unlock()
	if s.rpos.Off >= seg.bytes {
		if seg.n == last.n {
			return false, nil // nothing new
		}
		s.rpos = Pos{Seg: s.nextSeg(seg.n)}
		return s.tryNext(r)
	}
	if s.rf == nil || s.rseg != s.rpos.Seg {
		if err := s.openReader(); err != nil {
			return false, err
		}
	}
	r.Pos = s.rpos
	n, err := s.readRecord(s.rbr, r)
	if err != nil {
		return false, fmt.Errorf("%w: %s at offset %d: %v", ErrCorrupted, s.path(s.rpos.Seg), s.rpos.Off, err)
	}
	s.rpos.Off += int64(n)
	return true, nil
}

func (s *Spool) nextSeg(n uint64) uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.segs {
		if g.n > n {
			return g.n
		}
	}
	return n
}

func (s *Spool) openReader() error {
	if s.rf != nil {
		s.rf.Close()
		s.rf = nil
	}
	f, err := os.Open(s.path(s.rpos.Seg))
	if err != nil {
		return err
	}
	if _, err := f.Seek(s.rpos.Off, io.SeekStart); err != nil {
		f.Close()
		return err
	}
	s.rf, s.rbr, s.rseg = f, bufio.NewReaderSize(f, 64<<10), s.rpos.Seg
	return nil
}

// Notify returns a channel that receives when a record is appended (a
// reader waiting in its own select; Next waits on it too).
func (s *Spool) Notify() <-chan struct{} { return s.notify }

// Rewind moves the reader back to p (a record it read and that was not
// acknowledged), so that it is read again.
func (s *Spool) Rewind(p Pos) {
	s.rpos = p
	if s.rf != nil {
		s.rf.Close()
		s.rf = nil
	}
}

// Commit says every record before p was delivered: segments wholly before
// it are deleted.
func (s *Spool) Commit(p Pos) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.segs) > 1 && s.segs[0].n < p.Seg {
		old := s.segs[0]
		s.segs = s.segs[1:]
		s.stats.Bytes -= old.bytes
		if err := os.Remove(s.path(old.n)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return nil
}

// Pending reports whether records are left to read.
func (s *Spool) Pending() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.segs {
		if g.n > s.rpos.Seg && g.bytes > 0 || g.n == s.rpos.Seg && s.rpos.Off < g.bytes {
			return true
		}
	}
	return false
}

// Stats returns the spool's counters.
func (s *Spool) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Segments = len(s.segs)
	return st
}

// Close flushes what was appended to disk and closes the files; the
// records not committed stay for the next Open.
func (s *Spool) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	err := s.flush()
	if cerr := s.w.Close(); err == nil {
		err = cerr
	}
	if s.rf != nil {
		s.rf.Close()
	}
	return err
}
