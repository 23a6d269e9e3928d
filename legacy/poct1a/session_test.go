package poct1a

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"testing"
)

func messageXML(t *testing.T, name string) string {
	t.Helper()
	for _, m := range messageTests {
		if m.name == name {
			return m.xml
		}
	}
	t.Fatalf("no test message %q", name)
	return ""
}

// TestLoopbackSession runs a second device/data manager exchange over TCP on
// 127.0.0.1 with the newer message types: the device introduces itself with
// its capabilities and sends QC and calibration results and device events,
// each acknowledged by the manager with the control ID it received; the
// manager then sets the device's time, locks it and ends the session, each
// acknowledged by the device. Both endpoints decode live; the passive
// decoding of both directions is compared with testdata/session.golden.
func TestLoopbackSession(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("cannot listen on loopback: %v", err)
	}
	defer ln.Close()
	device := []string{messageXML(t, "hello with capabilities"), messageXML(t, "liquid QC result"),
		messageXML(t, "calibration result"), messageXML(t, "device events")}
	directives := []struct{ xml, command, control string }{
		{messageXML(t, "complex directive SET_TIME"), "SET_TIME", "3"},
		{messageXML(t, "basic directive LOCK"), "LOCK", "4016"},
		{messageXML(t, "terminate"), "", "44"},
	}

	var mgrItems []string
	var devParams []string
	mgr, dev := runLoopback(t, ln, 512, 100, func(mgr *endpoint) error {
		onItem := func(it Item) { mgrItems = append(mgrItems, describe(it, nil)) }
		for i := range device {
			m, err := mgr.receiveMsg(onItem)
			if err != nil {
				return err
			}
			id, _ := strconv.Atoi(m.control)
			if err := mgr.send(ackMsg(200+i, id, "AA") + "\r\n"); err != nil {
				return err
			}
		}
		for _, d := range directives {
			if err := mgr.send(d.xml + "\r\n"); err != nil {
				return err
			}
			m, err := mgr.receiveMsg(nil)
			if err == nil && (m.typ != "ACK.R01" || m.acked != d.control) {
				err = fmt.Errorf("manager: got %s acknowledging %q, want ACK.R01 of %s", m.typ, m.acked, d.control)
			}
			if err != nil {
				return err
			}
		}
		return nil
	}, func(dev *endpoint) error {
		for _, msg := range device {
			if err := dev.send(msg + "\r\n"); err != nil {
				return err
			}
			sent := new(Decoder)
			sent.Feed([]byte(msg))
			var control string
			for {
				it, err := sent.Next()
				if err != nil {
					return fmt.Errorf("decoding what was sent: %v", err)
				}
				if it.Kind == KindMessage {
					control = string(it.Message.ControlID)
					break
				}
			}
			m, err := dev.receiveMsg(nil)
			if err != nil {
				return err
			}
			if m.typ != "ACK.R01" || m.acked != control {
				return fmt.Errorf("device: got %s acknowledging %q, want ACK.R01 of %s", m.typ, m.acked, control)
			}
		}
		for i, d := range directives {
			m, err := dev.receiveMsg(nil)
			if err != nil {
				return err
			}
			if m.directive != d.command || m.control != d.control {
				return fmt.Errorf("device: got %s %q control %s, want %q control %s", m.typ, m.directive, m.control, d.command, d.control)
			}
			devParams = append(devParams, m.params...)
			id, _ := strconv.Atoi(m.control)
			if err := dev.send(ackMsg(10+i, id, "AA") + "\r\n"); err != nil {
				return err
			}
		}
		return nil
	})
	if got := strings.Join(devParams, " "); got != "TM.dttm=2010-03-05T11:06:00-05:00" {
		t.Errorf("device received directive parameters %q", got)
	}
	// The manager saw every item of the device's messages live.
	var live []string
	for _, l := range decodeAll(new(Decoder), dev.sent.Bytes(), nil) {
		if !strings.Contains(l, " message ") {
			live = append(live, l)
		}
	}
	if strings.Join(mgrItems, "\n") != strings.Join(live, "\n") {
		t.Errorf("manager items:\n%s\nwant\n%s", strings.Join(mgrItems, "\n"), strings.Join(live, "\n"))
	}
	checkDirections(t, "session", dev, mgr)
}
