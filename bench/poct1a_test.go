package bench

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/medtap/medtap/legacy/poct1a"
)

// poctStream is a device's side of a POCT1-A2 conversation: hello, status,
// then observation messages of ten results each, about 64 KiB.
func poctStream() []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><HEL.R01><HDR><HDR.control_id V="1"/><HDR.version_id V="POCT1"/></HDR>` +
		`<DEV><DEV.device_id V="00:11:22:33:44:55"/><DEV.vendor_id V="ACME"/><DEV.model_id V="BG-300"/><DEV.sw_version V="4.2.7"/></DEV></HEL.R01>`)
	for id := 2; b.Len() < 64<<10; id++ {
		b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\r\n<OBS.R01><HDR><HDR.control_id V=\"")
		b.WriteString(strconv.Itoa(id))
		b.WriteString(`"/><HDR.version_id V="POCT1"/><HDR.creation_dttm V="2024-06-27T13:54:03+01:00"/></HDR>` + "\r\n")
		b.WriteString(`<SVC><SVC.role_cd V="OBS"/><SVC.observation_dttm V="2024-06-27T13:50:00+01:00"/><PT><PT.patient_id V="P-77"/>` + "\r\n")
		for range 10 {
			b.WriteString(`  <OBS><OBS.observation_id V="pCO2" SN="ACME"/><OBS.value V="40.2" U="mm[Hg]"/><OBS.method_cd V="M"/><OBS.interpretation_cd V="N"/></OBS>` + "\r\n")
		}
		b.WriteString("</PT></SVC></OBS.R01>\r\n")
	}
	return b.Bytes()
}

// poctNotesStream is like poctStream with a reagent and two notes (one with
// entities and CDATA) per message, so that character data is kept.
func poctNotesStream() []byte {
	var b bytes.Buffer
	for id := 1; b.Len() < 64<<10; id++ {
		b.WriteString(`<OBS.R01><HDR><HDR.control_id V="`)
		b.WriteString(strconv.Itoa(id))
		b.WriteString(`"/></HDR><SVC><SVC.role_cd V="OBS"/><PT><PT.patient_id V="P-77"/>` + "\r\n")
		for range 5 {
			b.WriteString(`  <OBS><OBS.observation_id V="Glu"/><OBS.value V="145" U="mg/dL"/><NTE><NTE.text V="Dr &amp; nurse told"/></NTE></OBS>` + "\r\n")
		}
		b.WriteString(`</PT><RGT><RGT.name V="">TY=TS</RGT.name><RGT.lot_number V="0310010249"/></RGT>` +
			`<NTE><NTE.text V="comment">free text &lt;5 min<![CDATA[ & more]]></NTE.text></NTE></SVC></OBS.R01>` + "\r\n")
	}
	return b.Bytes()
}

func poctDecode(d *poct1a.Decoder, data []byte) int {
	d.Reset()
	n := 0
	for len(data) > 0 {
		c := min(1460, len(data))
		d.Feed(data[:c])
		data = data[c:]
		for {
			it, err := d.Next()
			if err == poct1a.ErrNeedMore {
				break
			}
			switch it.Kind {
			case poct1a.KindObservation:
				n += len(it.Observation.Value)
			case poct1a.KindNote:
				n += len(it.Note.Body)
			}
		}
	}
	return n
}

// BenchmarkPOCT1A measures decoding a POCT1-A2 stream (XML tokenizing and
// observation extraction) beside the machine's scanning limit.
func BenchmarkPOCT1A(b *testing.B) {
	data := poctStream()
	d := new(poct1a.Decoder)
	b.Run("limit-indexbyte", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			bytes.IndexByte(data, 0x1c)
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			poctDecode(d, data)
		}
	})
	notes := poctNotesStream()
	b.Run("decode-notes", func(b *testing.B) {
		b.SetBytes(int64(len(notes)))
		b.ReportAllocs()
		for b.Loop() {
			poctDecode(d, notes)
		}
	})
}
