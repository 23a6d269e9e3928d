package mllp_test

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/medtap/medtap/mllp"
)

// readLog records the size of every Read asked of it and returns at most
// chunk bytes (all that is asked when chunk is 0).
type readLog struct {
	r     io.Reader
	chunk int
	rng   *rand.Rand
	asked []int
}

func (l *readLog) Read(p []byte) (int, error) {
	l.asked = append(l.asked, len(p))
	if l.chunk > 0 {
		p = p[:min(len(p), 1+l.rng.IntN(l.chunk))]
	}
	return l.r.Read(p)
}

// TestReaderFrameSizes reads frames from a few bytes to past the maximum,
// in random order with junk between, through readers that return all that
// is asked or random short counts, and checks every frame, error, offset
// and skipped byte: the Reader sizes its reads and places frames from the
// frames it has seen, so sizes that change must not confuse it.
func TestReaderFrameSizes(t *testing.T) {
	const maxFrame = 250_000
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := []int{0, 1, 100, 4093, 4096, 65_536, 70_000, 200_000, 249_999, 250_000, 250_001, 300_000}
	var stream []byte
	type want struct {
		payload []byte
		off     int64 // of the start block, for too large frames
	}
	var wants []want
	var junk int64
	for range 60 {
		n := sizes[rng.IntN(len(sizes))]
		p := make([]byte, n)
		for i := range p {
			p[i] = 'A' + byte(rng.IntN(26))
		}
		if rng.IntN(4) == 0 {
			j := rng.IntN(10)
			stream = append(stream, bytes.Repeat([]byte("\n"), j)...)
			junk += int64(j)
		}
		w := want{payload: p, off: int64(len(stream))}
		if n > maxFrame {
			w.payload = nil
		}
		wants = append(wants, w)
		stream = mllp.AppendFrame(stream, p)
	}
	for _, chunk := range []int{0, 1000, 100_000} {
		log := &readLog{r: bytes.NewReader(stream), chunk: chunk, rng: rand.New(rand.NewPCG(3, 4))}
		r := mllp.NewReader(log)
		r.MaxFrameSize = maxFrame
		for i, w := range wants {
			p, err := r.ReadFrame()
			if w.payload == nil {
				var fe *mllp.FrameError
				if !errors.As(err, &fe) || !errors.Is(err, mllp.ErrFrameTooLarge) || fe.Offset != w.off {
					t.Fatalf("chunk %d, frame %d: %v, want ErrFrameTooLarge at %d", chunk, i, err, w.off)
				}
				continue
			}
			if err != nil || !bytes.Equal(p, w.payload) {
				t.Fatalf("chunk %d, frame %d: %d bytes, %v; want %d bytes", chunk, i, len(p), err, len(w.payload))
			}
		}
		if _, err := r.ReadFrame(); err != io.EOF {
			t.Fatalf("chunk %d: at the end %v", chunk, err)
		}
		if r.Skipped() != junk {
			t.Errorf("chunk %d: skipped %d, want %d", chunk, r.Skipped(), junk)
		}
	}
}

// TestReaderReadSizes checks that the Reader asks its io.Reader for large
// reads, so that one behind a system call is called rarely: small frames
// are read many at a time, and large frames with at most one Read each
// once their size is known, none asking for less than 64 KiB.
func TestReaderReadSizes(t *testing.T) {
	small := bytes.Repeat(mllp.AppendFrame(nil, bytes.Repeat([]byte("x"), 100)), 1000)
	log := &readLog{r: bytes.NewReader(small)}
	r := mllp.NewReader(log)
	frames := 0
	for {
		if _, err := r.ReadFrame(); err != nil {
			break
		}
		frames++
	}
	if frames != 1000 || len(log.asked) > len(small)/4096+2 {
		t.Errorf("%d small frames in %d reads", frames, len(log.asked))
	}

	large := bytes.Repeat(mllp.AppendFrame(nil, bytes.Repeat([]byte("y"), 200_000)), 8)
	r.Reset(bytes.NewReader(large)) // learn the frame size
	for {
		if _, err := r.ReadFrame(); err != nil {
			break
		}
	}
	log = &readLog{r: bytes.NewReader(large)}
	r.Reset(log)
	frames = 0
	for {
		if _, err := r.ReadFrame(); err != nil {
			break
		}
		frames++
	}
	if frames != 8 || len(log.asked) > 8+1 {
		t.Errorf("%d large frames in %d reads", frames, len(log.asked))
	}
	for _, n := range log.asked {
		if n < 64<<10 {
			t.Errorf("a read of %d bytes: %v", n, log.asked)
			break
		}
	}

	// A reader that returns at most 60,000 bytes a call (a socket, a
	// pipe): the Reader still asks for more than the rest of a frame, so
	// reads carry on into the next frame rather than stopping at each end.
	log = &readLog{r: bytes.NewReader(large)}
	r.Reset(readerFunc(func(p []byte) (int, error) {
		return log.Read(p[:min(len(p), 60_000)])
	}))
	frames = 0
	for {
		if _, err := r.ReadFrame(); err != nil {
			break
		}
		frames++
	}
	if limit := len(large)/60_000 + 4; frames != 8 || len(log.asked) > limit {
		t.Errorf("%d large frames in %d reads of at most 60,000 bytes, want %d reads at most", frames, len(log.asked), limit)
	}
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
