package astm

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

var loopbackPort = flag.Int("astm.port", 0, "TCP port on 127.0.0.1 for TestLoopbackE1381 (0: any); testdata/record-loopback.sh sets it to capture the exchange")

// peer is one end of an E1381 link in the loopback test: it writes with
// AppendFrame and reads with a Decoder, like a real analyser or LIS would.
type peer struct {
	name string
	conn net.Conn
	dec  *Decoder
	buf  []byte
	sent *bytes.Buffer // every byte this peer wrote, for the passive check
	recs []string      // records received
}

func newPeer(name string, c net.Conn) *peer {
	return &peer{name: name, conn: c, dec: new(Decoder), buf: make([]byte, 512), sent: new(bytes.Buffer)}
}

func (p *peer) write(b []byte) error {
	p.sent.Write(b)
	_, err := p.conn.Write(b)
	return err
}

// next returns the next control character or frame, collecting records on
// the way. The item's views are valid until the next call.
func (p *peer) next() (Item, error) {
	for {
		it, err := p.dec.Next()
		if err == ErrNeedMore {
			p.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			n, rerr := p.conn.Read(p.buf)
			if n == 0 && rerr != nil {
				return Item{}, fmt.Errorf("%s: read: %w", p.name, rerr)
			}
			p.dec.Feed(p.buf[:n])
			continue
		}
		if it.Kind == KindRecord {
			p.recs = append(p.recs, string(it.Record.Data))
			continue
		}
		if it.Kind == 0 && err != nil {
			return Item{}, fmt.Errorf("%s: %w", p.name, err)
		}
		return it, err
	}
}

// expect reads the next item and checks its kind.
func (p *peer) expect(k Kind) error {
	it, err := p.next()
	if err != nil {
		return err
	}
	if it.Kind != k {
		return fmt.Errorf("%s: got %s, want %s", p.name, it.Kind, k)
	}
	return nil
}

// send runs the sender's side of a transfer once the link is established:
// frames of the records, retransmitting on NAK (corrupting the frames whose
// index is in corrupt the first time), stopping early if the receiver
// interrupts, and EOT.
func (p *peer) send(records []string, maxText int, corrupt map[int]bool) error {
	var frames [][]byte
	fn := 1
	for _, r := range records {
		var b []byte
		b, fn = AppendFrames(nil, fn, []byte(r+"\r"), maxText)
		// Split the output of AppendFrames back into frames.
		for len(b) > 0 {
			i := bytes.Index(b, []byte{CR, LF}) + 2
			for b[i-5] != ETX && b[i-5] != ETB { // a CR LF inside the text
				i += bytes.Index(b[i:], []byte{CR, LF}) + 2
			}
			frames = append(frames, b[:i])
			b = b[i:]
		}
	}
	interrupted := false
	for i := 0; i < len(frames) && !interrupted; i++ {
		for try := 0; ; try++ {
			if try == 6 {
				return fmt.Errorf("%s: frame %d refused six times", p.name, i)
			}
			f := frames[i]
			if corrupt[i] && try == 0 {
				f = bytes.Clone(f)
				f[3] ^= 0x20 // a bit flipped in transit; the checksum no longer matches
			}
			if err := p.write(f); err != nil {
				return err
			}
			it, err := p.next()
			if err != nil {
				return err
			}
			if it.Kind == KindNAK {
				continue
			}
			if it.Kind == KindEOT { // receiver interrupt: counts as ACK, then stop
				interrupted = true
			} else if it.Kind != KindACK {
				return fmt.Errorf("%s: got %s after a frame", p.name, it.Kind)
			}
			break
		}
	}
	return p.write([]byte{EOT})
}

// receive runs the receiver's side after ENQ was acknowledged: ACK every good
// frame, NAK bad ones, interrupt (EOT instead of ACK) at frame interruptAt
// (counting accepted frames from 1; 0 never), until EOT.
func (p *peer) receive(interruptAt int) error {
	accepted := 0
	for {
		it, err := p.next()
		switch {
		case errors.Is(err, ErrChecksum):
			if err := p.write([]byte{NAK}); err != nil {
				return err
			}
			continue
		case err != nil && it.Kind == 0:
			return err
		}
		switch it.Kind {
		case KindEOT:
			return nil
		case KindFrame:
			reply := ACK
			if !it.Frame.Duplicate {
				accepted++
			}
			if accepted == interruptAt {
				reply = EOT
			}
			if err := p.write([]byte{reply}); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: unexpected %s", p.name, it.Kind)
		}
	}
}

var (
	analyserMessage = []string{
		"H|\\^&|||XN-550^00-24^22723|||||LIS||P|LIS2-A2|20240627135407",
		"P|1|||37182|^Jim^Brown||19870626|M",
		"O|1||S-0042^^27|^^^^WBC\\^^^^RBC\\^^^^HGB|R||||||N||||||||||||||F",
		"R|1|^^^^WBC^1|8.13|10*3/uL|4.00 - 10.00^REFERENCE_RANGE|N||F||MATYL^^USER|20240627135407|20240627135420|XN-550^22723",
		"R|2|^^^^RBC^1|2.60|10*6/uL||L||F||||20240627135407",
		"C|1|I|Sample aspirated twice&R&check tube|G",
		"L|1|N",
	}
	lisMessage = []string{
		"H|\\^&|||LIS^3.1|||||XN-550||P|LIS2-A2|20240627135500",
		"P|1|||37183",
		"O|1|S-0043||^^^^WBC\\^^^^HGB|S||||||N||||||||||||||O",
		"L|1|N",
	}
)

// TestLoopbackE1381 runs an analyser and a LIS over TCP on 127.0.0.1 through
// E1381's states: contention (both send ENQ), a busy receiver (NAK to ENQ),
// establishment, transfer with intermediate (ETB) frames, a corrupted frame
// refused and sent again, a receiver interrupt (EOT instead of ACK),
// termination, then a transfer in the other direction. Each side decodes with
// a Decoder; then both directions are decoded again passively and compared
// with testdata/loopback.golden.
func TestLoopbackE1381(t *testing.T) {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *loopbackPort))
	if err != nil {
		t.Skipf("cannot listen on loopback: %v", err)
	}
	defer ln.Close()

	var wg sync.WaitGroup
	var lis *peer
	var lisErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		c, err := ln.Accept()
		if err != nil {
			lisErr = err
			return
		}
		defer c.Close()
		lis = newPeer("lis", c)
		lisErr = runLIS(lis)
	}()

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	analyser := newPeer("analyser", c)
	aErr := runAnalyser(analyser)
	if aErr != nil {
		c.Close()
	}
	wg.Wait()
	c.Close()
	if aErr != nil || lisErr != nil {
		t.Fatalf("analyser: %v; lis: %v", aErr, lisErr)
	}

	// Each side received the other's records, the interrupted transfer
	// stopping after the frame the LIS answered with EOT.
	if got, want := strings.Join(lis.recs, "\n"), strings.Join(analyserMessage[:6], "\n"); got != want {
		t.Errorf("LIS received\n%s\nwant\n%s", got, want)
	}
	if got, want := strings.Join(analyser.recs, "\n"), strings.Join(lisMessage, "\n"); got != want {
		t.Errorf("analyser received\n%s\nwant\n%s", got, want)
	}

	// A passive observer sees the same thing, however TCP cut the bytes.
	var out strings.Builder
	for _, p := range []*peer{analyser, lis} {
		fmt.Fprintf(&out, "# %s -> %s\n", p.name, map[string]string{"analyser": "lis", "lis": "analyser"}[p.name])
		for _, l := range decodeAll(new(Decoder), p.sent.Bytes(), nil) {
			out.WriteString(l + "\n")
		}
	}
	checkGolden(t, "loopback", out.String())
}

const interruptAtFrame = 7 // the LIS answers the 7th accepted frame with EOT

func runAnalyser(a *peer) error {
	// Contention: the LIS sends ENQ at the same time. The instrument wins:
	// it waits (1 s in E1381, shortened here) and asks again.
	if err := a.write([]byte{ENQ}); err != nil {
		return err
	}
	if err := a.expect(KindENQ); err != nil {
		return err
	}
	time.Sleep(20 * time.Millisecond)
	// Busy receiver: NAK, wait (10 s in E1381), ask again.
	for {
		if err := a.write([]byte{ENQ}); err != nil {
			return err
		}
		it, err := a.next()
		if err != nil {
			return err
		}
		if it.Kind == KindACK {
			break
		}
		if it.Kind != KindNAK {
			return fmt.Errorf("analyser: %s in answer to ENQ", it.Kind)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := a.send(analyserMessage, 64, map[int]bool{3: true}); err != nil {
		return err
	}
	// Now receive the LIS's orders.
	if err := a.expect(KindENQ); err != nil {
		return err
	}
	if err := a.write([]byte{ACK}); err != nil {
		return err
	}
	return a.receive(0)
}

func runLIS(l *peer) error {
	if err := l.write([]byte{ENQ}); err != nil {
		return err
	}
	if err := l.expect(KindENQ); err != nil { // contention: yield to the instrument
		return err
	}
	if err := l.expect(KindENQ); err != nil {
		return err
	}
	if err := l.write([]byte{NAK}); err != nil { // busy
		return err
	}
	if err := l.expect(KindENQ); err != nil {
		return err
	}
	if err := l.write([]byte{ACK}); err != nil {
		return err
	}
	if err := l.receive(interruptAtFrame); err != nil {
		return err
	}
	// Send the orders back.
	if err := l.write([]byte{ENQ}); err != nil {
		return err
	}
	if err := l.expect(KindACK); err != nil {
		return err
	}
	return l.send(lisMessage, 0, nil)
}
