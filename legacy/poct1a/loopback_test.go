package poct1a

import (
	"bytes"
	"flag"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

var loopbackPort = flag.Int("poct.port", 0, "TCP port on 127.0.0.1 of the data manager in TestLoopbackPOCT1A (0: any); testdata/record-loopback.sh sets it")

// endpoint reads whole messages with a Decoder and writes its own.
type endpoint struct {
	conn net.Conn
	dec  *Decoder
	buf  []byte
	sent bytes.Buffer
}

func (e *endpoint) send(msg string) error {
	e.sent.WriteString(msg)
	_, err := e.conn.Write([]byte(msg))
	return err
}

// receive returns the type and control ID of the next message.
func (e *endpoint) receive() (typ, control string, err error) {
	m, err := e.receiveMsg(nil)
	return m.typ, m.control, err
}

// received is what an endpoint keeps of a message.
type received struct {
	typ, control, acked, directive string
	params                         []string // name=value
}

// receiveMsg returns the next message; items before it are passed to
// onItem if it is not nil.
func (e *endpoint) receiveMsg(onItem func(Item)) (received, error) {
	for {
		it, derr := e.dec.Next()
		if derr == ErrNeedMore {
			e.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			n, rerr := e.conn.Read(e.buf)
			if n == 0 && rerr != nil {
				return received{}, rerr
			}
			e.dec.Feed(e.buf[:n])
			continue
		}
		if derr != nil {
			return received{}, derr
		}
		if it.Kind != KindMessage {
			if onItem != nil {
				onItem(it)
			}
			continue
		}
		m := it.Message
		r := received{typ: string(m.Type), control: string(m.ControlID), acked: string(m.AckControlID), directive: string(m.Directive)}
		for i := range m.Params.Len() {
			p := m.Params.At(i)
			r.params = append(r.params, string(p.Name)+"="+string(p.Value))
		}
		return r, nil
	}
}

// runLoopback connects a data manager and a device over TCP through ln:
// the manager accepts and runs manager on its endpoint, the device dials
// and runs device on its own; the endpoints read mgrBuf and devBuf bytes
// at a time. A device error closes its connection so that the manager
// stops too. Any error fails t; the endpoints keep what each side sent.
func runLoopback(t *testing.T, ln net.Listener, mgrBuf, devBuf int, manager, device func(*endpoint) error) (mgr, dev *endpoint) {
	t.Helper()
	var wg sync.WaitGroup
	var mgrErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		c, err := ln.Accept()
		if err != nil {
			mgrErr = err
			return
		}
		defer c.Close()
		mgr = &endpoint{conn: c, dec: new(Decoder), buf: make([]byte, mgrBuf)}
		mgrErr = manager(mgr)
	}()

	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	dev = &endpoint{conn: c, dec: new(Decoder), buf: make([]byte, devBuf)}
	devErr := device(dev)
	if devErr != nil {
		c.Close()
	}
	wg.Wait()
	c.Close()
	if devErr != nil || mgrErr != nil {
		t.Fatalf("device: %v; manager: %v", devErr, mgrErr)
	}
	return mgr, dev
}

// checkDirections compares the passive decoding of what the device and the
// manager sent with testdata/name.golden.
func checkDirections(t *testing.T, name string, dev, mgr *endpoint) {
	t.Helper()
	var out strings.Builder
	for _, dir := range []struct {
		name string
		data []byte
	}{{"device -> manager", dev.sent.Bytes()}, {"manager -> device", mgr.sent.Bytes()}} {
		fmt.Fprintf(&out, "# %s\n%s\n", dir.name, strings.Join(decodeAll(new(Decoder), dir.data, nil), "\n"))
	}
	checkGolden(t, name, out.String())
}

// TestLoopbackPOCT1A runs a device and a data manager over TCP on 127.0.0.1
// through the introduction (HEL, DST), observation (OBS), end of topic (EOT)
// and a directive (DTV) from the manager, each acknowledged; both sides decode
// with a Decoder. The passive decoding of both directions is compared with
// testdata/conversation.golden.
func TestLoopbackPOCT1A(t *testing.T) {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *loopbackPort))
	if err != nil {
		t.Skipf("cannot listen on loopback: %v", err)
	}
	defer ln.Close()
	device, manager := conversation()

	mgr, dev := runLoopback(t, ln, 700, 300, func(mgr *endpoint) error {
		// Acknowledge HEL, DST, OBS and EOT, then direct the device.
		for i, want := range []string{"HEL.R01", "DST.R01", "OBS.R01", "EOT.R01"} {
			typ, _, err := mgr.receive()
			if err == nil && typ != want {
				err = fmt.Errorf("manager: got %s, want %s", typ, want)
			}
			if err == nil {
				err = mgr.send(manager[i] + "\r\n")
			}
			if err != nil {
				return err
			}
		}
		if err := mgr.send(manager[4]); err != nil {
			return err
		}
		typ, _, err := mgr.receive()
		if err == nil && typ != "ACK.R01" {
			err = fmt.Errorf("manager: got %s, want ACK.R01", typ)
		}
		return err
	}, func(dev *endpoint) error {
		for i := range 4 {
			if err := dev.send(device[i] + "\r\n"); err != nil {
				return err
			}
			typ, _, err := dev.receive()
			if err != nil {
				return err
			}
			if typ != "ACK.R01" {
				return fmt.Errorf("device: got %s, want ACK.R01", typ)
			}
		}
		typ, _, err := dev.receive()
		if err != nil {
			return err
		}
		if typ != "DTV.R02" {
			return fmt.Errorf("device: got %s, want DTV.R02", typ)
		}
		return dev.send(device[4])
	})
	checkDirections(t, "conversation", dev, mgr)
}
