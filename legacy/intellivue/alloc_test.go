//go:build !race

package intellivue

import "testing"

func TestParseAllocs(t *testing.T) {
	msgs := simMessages()
	if n := testing.AllocsPerRun(100, func() {
		for _, m := range msgs {
			walk(m)
		}
	}); n != 0 {
		t.Errorf("parsing and walking %d messages allocates %v times, want 0", len(msgs), n)
	}
}

func TestSniffAllocs(t *testing.T) {
	msgs := append(simMessages(), []byte("GET / HTTP/1.1\r\n"), []byte("\x00\x00\x01\x00\x00\x01\x00\x00"))
	if n := testing.AllocsPerRun(100, func() {
		for _, m := range msgs {
			Sniff(m)
		}
	}); n != 0 {
		t.Errorf("sniffing %d messages allocates %v times, want 0", len(msgs), n)
	}
}

func TestCodeStringAllocs(t *testing.T) {
	n := 0
	if a := testing.AllocsPerRun(100, func() {
		for _, s := range [...]string{MOCAlarm.String(), MOCAlarm.Name(), AttrNumeric.String(), CmdGet.String(),
			ROLinkedResult.String(), AlertNew.String(), MsmtInvalid.String(), AlertHighPhysio.String(),
			PatientAdmitted.Name(), SystemServer.Name(), StartupCold.Name(), SystemClient.String(),
			PhysioID(0x4182).String(), PhysioID(0x4182).Label(), UnitCode(0x0AA0).Symbol(), KindDataExport.String()} {
			n += len(s)
		}
	}); a != 0 {
		t.Errorf("names of known codes allocate %v times, want 0", a)
	}
}
