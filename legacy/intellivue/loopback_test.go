package intellivue

import (
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var (
	dataPort = flag.Int("ivue.port", 0, "UDP port on 127.0.0.1 of the simulated monitor (0: any); testdata/record-loopback.sh uses 24105")
	ciPort   = flag.Int("ivue.ciport", 0, "UDP port on 127.0.0.1 where the client hears connect indications (0: any); the script uses 24005")
	update   = flag.Bool("update", false, "rewrite the golden files")
)

// monitor is a simulated IntelliVue monitor: it answers the client's
// requests as the Data Export guide describes.
func monitor(conn *net.UDPConn, done chan<- error) {
	buf := make([]byte, 1500)
	var err error
	defer func() { done <- err }()
	for {
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, peer, rerr := conn.ReadFromUDP(buf)
		if rerr != nil {
			err = rerr
			return
		}
		m, perr := Parse(buf[:n])
		if perr != nil {
			err = fmt.Errorf("monitor: %w", perr)
			return
		}
		var replies [][]byte
		switch {
		case m.Kind == KindAssocRequest:
			replies = [][]byte{session(SPDUAccept, assocUserData(false)), mdsCreate(1)}
		case m.Kind == KindReleaseRequest:
			replies = [][]byte{session(SPDUDisconnect, []byte{0x14, 0x01, 0x00})}
		case m.RO == ROResult && m.EventType == NotiMDSCreate:
			continue // the client accepted the MDS
		case m.RO == ROInvoke && m.Command == CmdGet:
			g, gerr := m.GetRequest()
			if gerr != nil {
				err = fmt.Errorf("monitor: %w", gerr)
				return
			}
			replies = [][]byte{getResult(m.InvokeID, CmdGet, getAnswer(g)...)}
		case m.RO == ROInvoke && m.Command == CmdConfirmedSet:
			sr, serr := m.SetRequest()
			if serr != nil {
				err = fmt.Errorf("monitor: %w", serr)
				return
			}
			var set []ava
			for sr.Mods.Next() {
				mod := sr.Mods.Mod()
				set = append(set, ava{mod.ID, mod.Value})
			}
			replies = [][]byte{getResult(m.InvokeID, CmdConfirmedSet, set...)}
		case m.RO == ROInvoke && m.Command == CmdConfirmedAction:
			p, perr := m.PollRequest()
			if perr != nil {
				replies = [][]byte{roError(m.InvokeID, 9)} // NO_SUCH_ACTION
				break
			}
			switch p.ObjCode {
			case MOCNumeric:
				replies = [][]byte{pollReply(m.InvokeID, p.Number, MOCNumeric, p.Extended, 0, 0, numericObservations()...)}
			case MOCWave: // in two linked parts
				w := waveObservations()
				replies = [][]byte{
					pollReply(m.InvokeID, p.Number, MOCWave, p.Extended, LinkedFirst, 1, w[:1]...),
					pollReply(m.InvokeID, p.Number, MOCWave, p.Extended, LinkedLast, 2, w[1:]...),
				}
			case MOCAlarm:
				replies = [][]byte{pollReply(m.InvokeID, p.Number, MOCAlarm, p.Extended, 0, 0, alarmObservations()...)}
			case MOCDemog:
				replies = [][]byte{pollReply(m.InvokeID, p.Number, MOCDemog, p.Extended, 0, 0, demographicsObservations()...)}
			default:
				replies = [][]byte{roError(m.InvokeID, 17)} // INVALID_OBJECT_INSTANCE
			}
		default:
			err = fmt.Errorf("monitor: unexpected %s", describe(buf[:n]))
			return
		}
		for _, r := range replies {
			if _, werr := conn.WriteToUDP(r, peer); werr != nil {
				err = werr
				return
			}
		}
		if m.Kind == KindReleaseRequest {
			return
		}
	}
}

// TestLoopbackDataExport runs a simulated monitor and a client over UDP on
// 127.0.0.1: connect indication, association, MDS create, numeric, wave
// (linked), alarm and demographics polls, a GET and a confirmed SET, a
// refused action, release. The client decodes
// every answer with Parse; the exchange is compared with
// testdata/loopback.golden.
func TestLoopbackDataExport(t *testing.T) {
	mon, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: *dataPort})
	if err != nil {
		t.Skipf("cannot listen on loopback: %v", err)
	}
	defer mon.Close()
	ci, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: *ciPort})
	if err != nil {
		t.Skipf("cannot listen on loopback: %v", err)
	}
	defer ci.Close()

	var log []string
	// The monitor announces itself to the client's connect indication port.
	ciSender, err := net.DialUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: mon.LocalAddr().(*net.UDPAddr).Port}, ci.LocalAddr().(*net.UDPAddr))
	if err != nil {
		// The data port is taken by mon; announce from any port.
		ciSender, err = net.DialUDP("udp4", nil, ci.LocalAddr().(*net.UDPAddr))
		if err != nil {
			t.Fatal(err)
		}
	}
	ind := connectIndication()
	if _, err := ciSender.Write(ind); err != nil {
		t.Fatal(err)
	}
	ciSender.Close()
	buf := make([]byte, 1500)
	ci.SetReadDeadline(time.Now().Add(10 * time.Second))
	n, err := ci.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	log = append(log, "monitor: "+describe(buf[:n]))

	done := make(chan error, 1)
	go monitor(mon, done)

	client, err := net.DialUDP("udp4", nil, mon.LocalAddr().(*net.UDPAddr))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	exchange := func(req []byte, answers int) {
		t.Helper()
		log = append(log, "client:  "+describe(req))
		if _, err := client.Write(req); err != nil {
			t.Fatal(err)
		}
		for range answers {
			client.SetReadDeadline(time.Now().Add(10 * time.Second))
			n, err := client.Read(buf)
			if err != nil {
				t.Fatalf("waiting for the monitor: %v", err)
			}
			log = append(log, "monitor: "+describe(buf[:n]))
		}
	}
	exchange(session(SPDUConnect, assocUserData(true)), 2) // association response and MDS create
	exchange(mdsCreateResult(1), 0)
	exchange(pollRequest(2, 1, MOCNumeric, false), 1)
	exchange(pollRequest(3, 2, MOCWave, true), 2)
	exchange(pollRequest(4, 3, MOCAlarm, true), 1)
	exchange(pollRequest(6, 5, MOCDemog, false), 1)
	exchange(getRequest(7, AttrModel, AttrSystemID), 1)
	exchange(setRequest(8, ava{attrPollNuPrioList, prioList()}), 1)
	bad := pollRequest(5, 4, MOCNumeric, false)
	bad[len(bad)-12] = 0x99 // an action type the monitor does not know
	exchange(bad, 1)
	exchange(session(SPDUFinish, []byte{0x15, 0x01, 0x00}), 1)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "loopback", strings.Join(log, "\n")+"\n")
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s: got\n%s\nwant\n%s", path, got, want)
	}
}
