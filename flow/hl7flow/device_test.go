package hl7flow

import (
	"fmt"
	"net/netip"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
	"github.com/medtap/medtap/internal/testutil"
	"github.com/medtap/medtap/mllp"
)

// deviceMSH starts the messages of the device tests.
const deviceMSH = "MSH|^~\\&|PUMPGW|ICU|EMR|HOSP|20240101||ORU^R01^ORU_R01|C1|P|2.8.2\rPID|1||MRN77^^^HOSP^MR||DOE^JANE\r"

// devicePRT is a PRT of HL7 2.8.2 naming an infusion pump: PRT-4 role
// EQUIP, PRT-10 its UDI as printed on its label, PRT-16 the device
// identifier of the UDI (a GS1 GTIN, with the OID of FDA's UDI system) and
// PRT-17 to PRT-22.
const devicePRT = "PRT|1|UC||EQUIP^Equipment^HL70912||||||(01)00643169007222(17)160128(21)BLC200461H||||||" +
	"00643169007222^^2.16.840.1.113883.3.3719^ISO|20150128|20180128|LOT7|BLC200461H|DON1^ISBT|FLKR^Infusion pump^99GMDN\r"

// obxSeg is an OBX segment with set ID n, an observation and equipment
// instance identifier id in OBX-18.
func obxSeg(n int, id string) string {
	f := make([]string, 19)
	f[0], f[1], f[2], f[3], f[5], f[6], f[11], f[14], f[18] = "OBX", fmt.Sprint(n), "NM", "RATE^Rate", "5", "mL/h", "F", "20240101", id
	return strings.Join(f, "|") + "\r"
}

// deviceEvent runs one framed message through an engine and returns its
// event's detail JSON after "segments" and the identities it yields.
func deviceEvent(t *testing.T, msg string) (tail string, ids []string) {
	t.Helper()
	frame := string(mllp.AppendFrame(nil, []byte(msg)))
	var lines []string
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, flow.SinkFunc(func(ev *flow.Event) {
		switch d := ev.Detail.(type) {
		case *Message:
			lines = append(lines, string(d.AppendJSON(nil)))
			d.Identify(ev.Kind, nil, func(id flow.Identity) { ids = append(ids, fmt.Sprintf("%s:%s", id.Kind, id.Name)) })
		case *flow.DecodeErrorDetail:
			t.Errorf("decode error: %v", d.Err)
		}
	}))
	flowtest.Feed(t, e, []seg{{0, 1000, flow.FlagSYN, ""}, {1, 5000, flow.FlagSYN | flow.FlagACK, ""}, {0, 1001, flow.FlagACK, frame}})
	e.Flush()
	if len(lines) != 1 {
		t.Fatalf("%d message events", len(lines))
	}
	_, tail, _ = strings.Cut(lines[0], `"segments":`)
	return tail, ids
}

// TestHL7Devices checks the device identifiers of PRT, OBX-18 and EQU-1
// and that none of them is given as an identity of the sender.
func TestHL7Devices(t *testing.T) {
	var obx strings.Builder
	// Ten observations from nine devices, one twice, one with a second
	// repetition (ignored), one with the HL7 null: the first eight
	// distinct identifiers are kept.
	for i, id := range []string{"PUMP-1^ACME", "PUMP-2", "PUMP-1^ACME", "PUMP-3~OTHER", `""`, "PUMP-4", "PUMP-5", "PUMP-6", "PUMP-7", "PUMP-8", "PUMP-9"} {
		obx.WriteString(obxSeg(i+1, id))
	}
	tests := []struct {
		name, msg, want string
	}{
		{"none", deviceMSH + obxSeg(1, ""), `3`},
		{"prt", deviceMSH + devicePRT,
			`3,"udi":"00643169007222","device_manufacture_date":"20150128","device_expiry_date":"20180128",` +
				`"device_lot":"LOT7","device_serial":"BLC200461H","device_donation_id":"DON1","device_type":"FLKR","device_type_text":"Infusion pump"`},
		// A PRT of a person (no device fields) comes first; a second
		// device PRT is not read.
		{"prt-person-first", deviceMSH + "PRT|1|UC||OP^Operator||1234^NURSE^ANNA\r" + devicePRT + "PRT|2|UC||EQUIP||||||||||||OTHER-UDI\r",
			`5,"udi":"00643169007222","device_manufacture_date":"20150128","device_expiry_date":"20180128",` +
				`"device_lot":"LOT7","device_serial":"BLC200461H","device_donation_id":"DON1","device_type":"FLKR","device_type_text":"Infusion pump"`},
		{"prt-serial-only", deviceMSH + "PRT|1|UC||EQUIP||||||||||||||||SN-42\r", `3,"device_serial":"SN-42"`},
		{"obx", deviceMSH + obx.String(),
			`13,"device_ids":["PUMP-1","PUMP-2","PUMP-3","PUMP-4","PUMP-5","PUMP-6","PUMP-7","PUMP-8"],"device_ids_truncated":true`},
		{"equ", deviceMSH + "EQU|ANALYZER01^ACME^1.2.3^ISO|20240101120000\rEQU|SECOND\r", `4,"equipment_id":"ANALYZER01"`},
		{"escaped", deviceMSH + obxSeg(1, `A\F\B`), `3,"device_ids":["A\\F\\B"]`},
		{"all", deviceMSH + devicePRT + obxSeg(1, "PUMP-1") + "EQU|GW7\r",
			`5,"udi":"00643169007222","device_manufacture_date":"20150128","device_expiry_date":"20180128",` +
				`"device_lot":"LOT7","device_serial":"BLC200461H","device_donation_id":"DON1","device_type":"FLKR","device_type_text":"Infusion pump",` +
				`"device_ids":["PUMP-1"],"equipment_id":"GW7"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ids := deviceEvent(t, tt.msg)
			if got != tt.want {
				t.Errorf("fields after segments:\n got %s\nwant %s", got, tt.want)
			}
			if want := []string{"hl7:PUMPGW@ICU"}; !slices.Equal(ids, want) {
				t.Errorf("identities %q, want %q", ids, want)
			}
		})
	}
}

// TestHL7DevicesAgainstTshark compares the device identifiers of the
// corpus captures (the tapirx UDI captures carry one in PRT-16 and in
// OBX-18) with the segments tshark's HL7 dissector shows, split by hand.
func TestHL7DevicesAgainstTshark(t *testing.T) {
	tshark := testutil.Tool(t, "tshark", "tshark")
	files, _ := filepath.Glob(filepath.Join(testutil.Corpus(t, "pcap"), "tapirx-HL7-*.pcap"))
	found := 0
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			out, err := exec.Command(tshark, "-n", "-r", file, "-d", "tcp.port==6661,hl7", "-Y", "hl7", "-T", "fields",
				"-E", "occurrence=a", "-E", "aggregator=\x1f", "-e", "hl7.segment").Output()
			if err != nil {
				t.Fatalf("tshark: %v", err)
			}
			var want []string
			for _, row := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				if d := tsharkDevices(strings.Split(row, "\x1f")); d != "" {
					want = append(want, d)
				}
			}
			var got []string
			e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, flow.SinkFunc(func(ev *flow.Event) {
				if m, ok := ev.Detail.(*Message); ok {
					var ids []string
					for _, id := range m.DeviceIDs {
						ids = append(ids, string(id))
					}
					got = append(got, fmt.Sprintf("udi=%s serial=%s obx18=%s equ=%s", m.UDI, m.DeviceSerial, strings.Join(ids, ","), m.EquipmentID))
				}
			}))
			flowtest.RunFile(t, e, file)
			e.Flush()
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("medtap:\n%s\ntshark:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			for _, g := range got {
				if g != "udi= serial= obx18= equ=" {
					found++
				}
			}
		})
	}
	if len(files) > 0 && found < 2 {
		t.Errorf("%d messages with device identifiers in the corpus, want 2 at least", found)
	}
}

// tsharkDevices renders the device identifiers of a message given as
// tshark's segments (each ending in a literal \r), or "" for an
// acknowledgement: a reference that splits fields, components and
// repetitions with the default delimiters, and knows no escapes.
func tsharkDevices(segs []string) string {
	field := func(f []string, i int) string {
		if i >= len(f) {
			return ""
		}
		v, _, _ := strings.Cut(f[i], "~")
		if v == `""` {
			return ""
		}
		return v
	}
	comp1 := func(v string) string { c, _, _ := strings.Cut(v, "^"); return c }
	var udi, serial, equ string
	var ids []string
	prt := false
	for i, s := range segs {
		f := strings.Split(strings.TrimSuffix(s, `\r`), "|")
		switch {
		case i == 0 && (len(f) < 9 || strings.HasPrefix(f[8], "ACK")):
			return ""
		case f[0] == "PRT" && !prt:
			udi, serial = comp1(field(f, 16)), field(f, 20)
			for n := 16; n <= 22; n++ {
				prt = prt || field(f, n) != ""
			}
		case f[0] == "OBX":
			if id := comp1(field(f, 18)); id != "" && !slices.Contains(ids, id) && len(ids) < maxDeviceIDs {
				ids = append(ids, id)
			}
		case f[0] == "EQU" && equ == "":
			equ = comp1(field(f, 1))
		}
	}
	return fmt.Sprintf("udi=%s serial=%s obx18=%s equ=%s", udi, serial, strings.Join(ids, ","), equ)
}

// TestHL7DevicesAllocs checks that reading the device identifiers of
// messages with a PRT, eleven OBX and an EQU, writing their events as
// JSON and asking them for identities allocates nothing.
func TestHL7DevicesAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	msg := deviceMSH + devicePRT + "EQU|GW7\r"
	for i := range 11 {
		msg += obxSeg(i+1, fmt.Sprintf("PUMP-%d", i%9))
	}
	count := &flowtest.CountSink{Buf: make([]byte, 0, 4096)}
	var buf [256]byte
	names := 0
	yield := func(flow.Identity) { names++ }
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, flow.SinkFunc(func(ev *flow.Event) {
		count.Event(ev)
		if id, ok := ev.Detail.(flow.Identifier); ok {
			id.Identify(ev.Kind, buf[:0], yield)
		}
	}))
	allocs, per := flowtest.SteadyAllocs(t, e, count, pkttest.Cli, netip.MustParseAddrPort("10.0.0.2:2575"), mllp.AppendFrame(nil, []byte(msg)), 100)
	if allocs != 0 {
		t.Errorf("a message allocates %.1f times", allocs)
	}
	if per != 1 || names < 100 || !strings.Contains(string(count.Buf), `"device_ids_truncated":true,"equipment_id":"GW7"`) {
		t.Errorf("%d events per message, %d identities, last event %s", per, names, count.Buf)
	}
}
