package bench

import (
	"testing"

	"github.com/medtap/medtap/dicom"
	"github.com/medtap/medtap/dicom/ul"
	"github.com/medtap/medtap/internal/synth"
)

// ulSeg is one direction's bytes of an association.
type ulSeg struct {
	dir  ul.Dir
	data []byte
}

// ulStore returns an association storing n CT objects of objSize bytes of
// pixel data in P-DATA-TF PDUs of at most maxPDU bytes, as a modality sends
// them, and its size in bytes.
func ulStore(n, objSize, maxPDU int) ([]ulSeg, int64) {
	segs := []ulSeg{
		{0, synth.AssociateRQ("CT_SCANNER_01", "PACS", synth.CTImageStorage, synth.ImplicitVRLittleEndian)},
		{1, synth.AssociateAC("CT_SCANNER_01", "PACS", synth.ImplicitVRLittleEndian)},
	}
	for i := range n {
		uid := "1.2.826.0.1.3680043.10.1234.2." + string(rune('1'+i%9))
		segs = append(segs, ulSeg{0, synth.PData(1, true, synth.StoreRQ(uint16(i+1), synth.CTImageStorage, uid))})
		var ds []byte
		for _, pdu := range synth.PDataFragments(1, synth.CTDataset(i, objSize), maxPDU) {
			ds = append(ds, pdu...)
		}
		segs = append(segs, ulSeg{0, ds})
		segs = append(segs, ulSeg{1, synth.PData(1, true, synth.StoreRSP(uint16(i+1), synth.CTImageStorage, uid, 0))})
	}
	segs = append(segs, ulSeg{0, ul.AppendRelease(nil, ul.TypeReleaseRQ)}, ulSeg{1, ul.AppendRelease(nil, ul.TypeReleaseRP)})
	var size int64
	for _, s := range segs {
		size += int64(len(s.data))
	}
	return segs, size
}

// ulCommands returns an association of small DIMSE messages: C-ECHO and
// C-FIND requests with identifiers and their pending and final responses.
func ulCommands(n int) ([]ulSeg, int64) {
	const imp = dicom.ImplicitVRLittleEndian
	cmd := func(c ul.Command, id uint16, sop string, ds bool, status int) []byte {
		var b []byte
		b = dicom.AppendString(b, imp, 0x00000002, dicom.UI, sop)
		b = dicom.AppendUint16s(b, imp, 0x00000100, dicom.US, uint16(c))
		if c.IsResponse() {
			b = dicom.AppendUint16s(b, imp, 0x00000120, dicom.US, id)
		} else {
			b = dicom.AppendUint16s(b, imp, 0x00000110, dicom.US, id)
		}
		t := uint16(0x0101)
		if ds {
			t = 0
		}
		b = dicom.AppendUint16s(b, imp, 0x00000800, dicom.US, t)
		if status >= 0 {
			b = dicom.AppendUint16s(b, imp, 0x00000900, dicom.US, uint16(status))
		}
		return append(dicom.AppendUint32s(nil, imp, 0, dicom.UL, uint32(len(b))), b...)
	}
	var id, ans []byte
	id = dicom.AppendString(id, imp, 0x00080052, dicom.CS, "STUDY")
	id = dicom.AppendString(id, imp, 0x00100010, dicom.PN, "DOE*")
	id = dicom.AppendString(id, imp, 0x00100020, dicom.LO, "")
	id = dicom.AppendString(id, imp, 0x0020000D, dicom.UI, "")
	ans = dicom.AppendString(ans, imp, 0x00080052, dicom.CS, "STUDY")
	ans = dicom.AppendString(ans, imp, 0x00100010, dicom.PN, "DOE^JANE")
	ans = dicom.AppendString(ans, imp, 0x0020000D, dicom.UI, "1.2.3.4.5.6.7")
	const echo, find = "1.2.840.10008.1.1", "1.2.840.10008.5.1.4.1.2.2.1"
	segs := []ulSeg{
		{0, synth.AssociateRQ("RADWS", "PACS", find, synth.ImplicitVRLittleEndian)},
		{1, synth.AssociateAC("RADWS", "PACS", synth.ImplicitVRLittleEndian)},
	}
	for i := range n {
		mid := uint16(2*i + 1)
		segs = append(segs,
			ulSeg{0, ul.AppendPData(nil, 1, ul.ControlCommand|ul.ControlLast, cmd(ul.CEchoRQ, mid, echo, false, -1))},
			ulSeg{1, ul.AppendPData(nil, 1, ul.ControlCommand|ul.ControlLast, cmd(ul.CEchoRSP, mid, echo, false, 0))},
			ulSeg{0, append(ul.AppendPData(nil, 1, ul.ControlCommand|ul.ControlLast, cmd(ul.CFindRQ, mid+1, find, true, -1)),
				ul.AppendPData(nil, 1, ul.ControlLast, id)...)},
			ulSeg{1, append(ul.AppendPData(nil, 1, ul.ControlCommand|ul.ControlLast, cmd(ul.CFindRSP, mid+1, find, true, 0xFF00)),
				ul.AppendPData(nil, 1, ul.ControlLast, ans)...)},
			ulSeg{1, ul.AppendPData(nil, 1, ul.ControlCommand|ul.ControlLast, cmd(ul.CFindRSP, mid+1, find, false, 0))},
		)
	}
	var size int64
	for _, s := range segs {
		size += int64(len(s.data))
	}
	return segs, size
}

// ulFollow feeds an association in chunks of at most chunk bytes and returns
// the number of DIMSE messages; shared by the benchmarks and the allocation
// test.
func ulFollow(a *ul.Association, segs []ulSeg, chunk int) int {
	a.Reset()
	n := 0
	for _, s := range segs {
		for d := s.data; len(d) > 0; {
			c := d[:min(chunk, len(d))]
			d = d[len(c):]
			a.Feed(s.dir, c)
			for {
				ev, err := a.Next()
				if err == ul.ErrNeedMore {
					break
				}
				if err != nil {
					panic(err)
				}
				if ev.Kind == ul.EventDIMSE {
					n++
				}
			}
		}
	}
	return n
}

// ulPDUs runs the PDU decoder alone over one direction.
func ulPDUs(d *ul.Decoder, data []byte, chunk int) int {
	d.Reset()
	n := 0
	for len(data) > 0 {
		c := data[:min(chunk, len(data))]
		data = data[len(c):]
		d.Feed(c)
		for {
			it, err := d.Next()
			if err == ul.ErrNeedMore {
				break
			}
			if err != nil {
				panic(err)
			}
			if it.Kind != ul.KindPDV {
				n++
			}
		}
	}
	return n
}

// BenchmarkUL measures the DICOM upper layer decoder: a C-STORE association
// of 20 CT images of 512 KiB in 16 KiB PDUs (read beside BenchmarkLimit/copy:
// the pixel data is skipped, not copied), fed in 64 KiB chunks (reassembled
// loopback or offloaded segments) and in 1460-byte chunks (Ethernet MSS); the
// PDU decoder alone on the same bytes; and an association of small DIMSE
// messages (C-ECHO, C-FIND with identifiers), reported per message.
func BenchmarkUL(b *testing.B) {
	store, storeSize := ulStore(20, 512<<10, 16<<10)
	cmds, cmdSize := ulCommands(200)
	var a ul.Association
	for _, c := range []struct {
		name  string
		chunk int
	}{{"cstore-64k", 64 << 10}, {"cstore-1460", 1460}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(storeSize)
			b.ReportAllocs()
			for b.Loop() {
				if ulFollow(&a, store, c.chunk) != 40 {
					b.Fatal("wrong message count")
				}
			}
		})
	}
	b.Run("pdu-cstore-64k", func(b *testing.B) {
		var all []byte
		for _, s := range store {
			if s.dir == 0 {
				all = append(all, s.data...)
			}
		}
		var d ul.Decoder
		b.SetBytes(int64(len(all)))
		b.ReportAllocs()
		for b.Loop() {
			ulPDUs(&d, all, 64<<10)
		}
	})
	b.Run("dimse-small", func(b *testing.B) {
		b.SetBytes(cmdSize)
		b.ReportAllocs()
		msgs := 0
		for b.Loop() {
			msgs += ulFollow(&a, cmds, 1460)
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(msgs), "ns/msg")
	})
}
