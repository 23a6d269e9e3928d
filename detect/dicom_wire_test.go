package detect_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/medtap/medtap/detect"
	"github.com/medtap/medtap/dicom"
	"github.com/medtap/medtap/dicom/ul"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
)

// wire sends TCP flows of raw-IP packets into a flow engine.
type wire struct {
	t  *testing.T
	fe *flow.Engine
	ts time.Time
}

// conn opens a flow from cli to srv and sends the payloads in turn, even
// ones from the client and odd ones from the server.
func (w *wire) conn(cli, srv netip.AddrPort, payloads ...[]byte) {
	seq := [2]uint32{1000, 5000}
	send := func(dir int, flags uint8, p []byte) {
		src, dst := cli, srv
		if dir == 1 {
			src, dst = srv, cli
		}
		w.ts = w.ts.Add(10 * time.Millisecond)
		if err := w.fe.Packet(w.ts, flow.LinkRaw, pkttest.RawTCP(src, dst, seq[dir], flags, p)); err != nil {
			w.t.Fatal(err)
		}
		seq[dir] += uint32(len(p))
		if flags&pkttest.SYN != 0 {
			seq[dir]++
		}
	}
	send(0, pkttest.SYN, nil)
	send(1, pkttest.SYN|pkttest.ACK, nil)
	for i, p := range payloads {
		send(i%2, pkttest.ACK|pkttest.PSH, p)
	}
	send(0, pkttest.FIN|pkttest.ACK, nil)
	send(1, pkttest.FIN|pkttest.ACK, nil)
}

const (
	uidCTImage    = "1.2.840.10008.5.1.4.1.1.2"
	uidExplicitLE = "1.2.840.10008.1.2.1"
)

func associate(t ul.Type, calling, called string) *ul.Associate {
	a := &ul.Associate{Type: t, ProtocolVersion: 1, CallingAE: []byte(calling), CalledAE: []byte(called),
		ApplicationContext: []byte("1.2.840.10008.3.1.1.1"), UserInfo: ul.UserInfo{MaxLength: 16384, HasMaxLength: true}}
	pc := ul.PresentationContext{ID: 1, TransferSyntaxes: [][]byte{[]byte(uidExplicitLE)}}
	if t == ul.TypeAssociateRQ {
		pc.AbstractSyntax = []byte(uidCTImage)
	}
	a.Contexts = []ul.PresentationContext{pc}
	return a
}

// TestDICOMWire runs DICOM built byte by byte through the flow engine and
// the detectors: AE title guessing that the SCP rejects, then a C-STORE
// of an object with a PE executable in a private OB element.
func TestDICOMWire(t *testing.T) {
	de, col := newEngine(t, detect.Config{})
	w := &wire{t: t, fe: flowtest.NewEngine(t, flow.Config{}, de), ts: t0}
	srv := ap("10.0.1.10:104")
	for i, called := range []string{"PACS1", "ARCHIVE", "DCM4CHEE", "ORTHANC", "STORESCP"} {
		rj := ul.AppendReject(nil, ul.Reject{Result: ul.RejectedPermanent, Source: ul.RejectServiceUser, Reason: ul.ReasonCalledAETitleNotRecognized})
		w.conn(client(attacker, i), srv, ul.AppendAssociate(nil, associate(ul.TypeAssociateRQ, "NMAP", called)), rj)
	}

	pe := make([]byte, 2048)
	copy(pe, "MZ\x90\x00")
	pe[0x3c] = 0x80
	copy(pe[0x80:], "PE\x00\x00")
	const ex = dicom.ExplicitVRLittleEndian
	ds := dicom.AppendString(nil, ex, 0x00080016, dicom.UI, uidCTImage)
	ds = dicom.AppendString(ds, ex, 0x00080018, dicom.UI, "1.2.3.4")
	ds = dicom.AppendString(ds, ex, 0x00080060, dicom.CS, "CT")
	ds = dicom.AppendString(ds, ex, 0x00090010, dicom.LO, "ACME 1.0")
	ds = dicom.AppendElement(ds, ex, 0x00091010, dicom.OB, pe)
	ds = dicom.AppendString(ds, ex, 0x00100020, dicom.LO, "PID42")
	const imp = dicom.ImplicitVRLittleEndian
	cmd := dicom.AppendString(nil, imp, 0x00000002, dicom.UI, uidCTImage)
	cmd = dicom.AppendUint16s(cmd, imp, 0x00000100, dicom.US, uint16(ul.CStoreRQ))
	cmd = dicom.AppendUint16s(cmd, imp, 0x00000110, dicom.US, 1)
	cmd = dicom.AppendUint16s(cmd, imp, 0x00000700, dicom.US, 0)
	cmd = dicom.AppendUint16s(cmd, imp, 0x00000800, dicom.US, 0)
	cmd = dicom.AppendString(cmd, imp, 0x00001000, dicom.UI, "1.2.3.4")
	pdata := append(ul.AppendMessagePart(nil, 1, true, cmd, 0), ul.AppendMessagePart(nil, 1, false, ds, 0)...)
	w.conn(client(modality, 1), srv,
		ul.AppendAssociate(nil, associate(ul.TypeAssociateRQ, "CT_SCANNER", "PACS")),
		ul.AppendAssociate(nil, associate(ul.TypeAssociateAC, "CT_SCANNER", "PACS")),
		pdata)
	w.fe.Flush()
	de.Flush()
	want := "" +
		"dicom.ae-bruteforce high 10.99.0.66->10.0.1.10:104 x1\n" +
		"dicom.association-rejected low 10.99.0.66->10.0.1.10:104 x1\n" +
		"dicom.association-rejected low 10.99.0.66->10.0.1.10:104 x4\n" +
		"dicom.executable-content critical 10.0.5.21->10.0.1.10:104 x1\n" +
		"phi.cleartext info 10.0.5.21->10.0.1.10:104 x1"
	if got := alertText(col.alerts, "dicom.", "phi."); got != want {
		t.Errorf("alerts:\n%s\nwant:\n%s", got, want)
	}
	for _, a := range col.alerts {
		if a.ID == "dicom.executable-content" && (a.Field("element") != "(0009,1010)" || a.Field("executable") != "PE") {
			t.Errorf("evidence %+v", a.Evidence)
		}
	}
}
