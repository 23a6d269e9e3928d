package intellivue

import (
	"errors"
	"testing"
)

// aare is an association response cut to what UserInfo reads: session
// header, a stub presentation header, the user-information EXTERNAL in its
// short form (no references) and an MDSEUserInfoStd of 56 bytes.
var aare = []byte{
	0x0e, 0x48, // AC SPDU, length indicator 72
	0xc1, 0x46, // presentation header (CPA-type), length 70
	0xbe, 0x80, 0x28, 0x80, // user-information [30], EXTERNAL, indefinite lengths
	0x81, 0x3e, // octet-aligned, ASNLength 62
	0x80, 0x00, 0x00, 0x00, // protocol_version MDDL_VERSION1
	0x40, 0x00, 0x00, 0x00, // nomenclature_version NOMEN_VERSION
	0x00, 0x00, 0x00, 0x00, // functional_units
	0x00, 0x80, 0x00, 0x00, // system_type SYST_SERVER
	0x80, 0x00, 0x00, 0x00, // startup_mode HOT_START
	0x00, 0x00, 0x00, 0x00, // option_list: count 0, length 0
	0x00, 0x01, 0x00, 0x22, // supported_aprofiles: count 1, length 34
	0x00, 0x01, 0x00, 0x1e, // NOM_POLL_PROFILE_SUPPORT, length 30
	0x80, 0x00, 0x00, 0x00, // poll_profile_revision POLL_PROFILE_REV_0
	0x00, 0x00, 0x09, 0xc4, // min_poll_period 2500 (312.5 ms)
	0x00, 0x00, 0x03, 0xe8, // max_mtu_rx 1000
	0x00, 0x00, 0x03, 0xe8, // max_mtu_tx 1000
	0x00, 0x00, 0x10, 0x00, // max_bw_tx 4096
	0x40, 0x00, 0x00, 0x00, // options P_OPT_DYN_CREATE_OBJECTS
	0x00, 0x00, 0x00, 0x00, // optional_packages: none
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // end-of-contents
}

func TestUserInfo(t *testing.T) {
	m, err := Parse(aare)
	if err != nil {
		t.Fatal(err)
	}
	u, err := m.UserInfo()
	if err != nil {
		t.Fatal(err)
	}
	p := u.Poll
	got := [...]uint32{p.Revision, p.MinPollPeriod, p.MaxMTURx, p.MaxMTUTx, p.MaxBWTx, uint32(p.Options)}
	want := [...]uint32{0x80000000, 2500, 1000, 1000, 4096, uint32(PollOptDynCreate)}
	if u.ProtocolVersion != ProtocolMDDLVersion1 || u.NomenclatureVersion != NomenclatureVersion1 ||
		u.SystemType != SystemServer || u.StartupMode != StartupHot || !u.HasPoll || got != want || p.HasExt {
		t.Errorf("got %+v", u)
	}

	errTests := []struct {
		name string
		edit func(b []byte) []byte
		want error
		off  int64
	}{
		{"ASN length beyond the data", func(b []byte) []byte { b[9] = 0x7f; return b }, ErrLength, 10},
		{"long ASN length form", func(b []byte) []byte { b[9] = 0x83; return b }, ErrLength, 9},
		{"not octet-aligned", func(b []byte) []byte { b[8] = 0x80; return b }, ErrNoUserInfo, 8},
		{"no EXTERNAL", func(b []byte) []byte { b[5] = 0x81; return b }, ErrNoUserInfo, 2},
		{"profile list beyond user info", func(b []byte) []byte { b[37] = 0x30; return b }, ErrLength, 38},
		{"poll profile cut", func(b []byte) []byte { b[41] = 0x10; return b }, ErrTruncated, 58},
		{"user info cut", func(b []byte) []byte { b[9] = 0x10; return b }, ErrTruncated, 26},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(tt.edit(append([]byte(nil), aare...)))
			if err != nil {
				t.Fatal(err)
			}
			_, err = m.UserInfo()
			var e *Error
			if !errors.Is(err, tt.want) || !errors.As(err, &e) || e.Offset != tt.off {
				t.Errorf("got %v, want %v at offset %d", err, tt.want, tt.off)
			}
		})
	}
	if m, _ := Parse(roError(5, 9)); !errors.Is(func() error { _, err := m.UserInfo(); return err }(), ErrNoUserInfo) {
		t.Error("UserInfo on a data export message")
	}
}
