package dicomflow

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/medtap/medtap/flow/loginflow"
	"github.com/medtap/medtap/internal/tsharktest"
	"github.com/medtap/medtap/netproto/defcred"
)

// TestLoginAgainstTshark decodes storescu's user identities (recorded by
// testdata/record-login.sh) and compares each login event with tshark's
// user identity fields and the PDU that answers the request.
func TestLoginAgainstTshark(t *testing.T) {
	file := filepath.Join("testdata", "login.pcap")
	rows := tsharktest.Fields(t, file, "dicom.pdu.type<=3", "tcp.srcport", "tcp.dstport", "dicom.pdu.type",
		"dicom.userinfo.user_identify.type", "dicom.userinfo.user_identify.primary_field", "dicom.userinfo.user_identify.secondary_field")
	want := map[uint16][]tsharktest.Want{}
	var secrets []string
	for _, r := range rows {
		src, _ := strconv.Atoi(r[0])
		dst, _ := strconv.Atoi(r[1])
		switch r[2] {
		case "0x01":
			if r[3] == "1" || r[3] == "2" {
				def := ""
				if r[3] == "2" && defcred.IsDefault([]byte(r[4]), []byte(r[5])) {
					def = "true"
				}
				want[uint16(src)] = []tsharktest.Want{{"user": r[4], "default_credential": def}}
				if r[5] != "" && r[5] != r[4] {
					secrets = append(secrets, r[5])
				}
			}
		case "0x02", "0x03":
			if l := want[uint16(dst)]; l != nil {
				l[0]["success"] = strconv.FormatBool(r[2] == "0x02")
			}
		}
	}
	evs := tsharktest.Run(t, file, Name)
	tsharktest.NoSecrets(t, evs, secrets...)
	var c tsharktest.Counter
	c.Compare(t, evs, loginflow.KindLogin, want)
	if c.Events != 4 || len(want) != 4 {
		t.Errorf("%d logins, tshark %d, want 4", c.Events, len(want))
	}
	if len(secrets) != 2 {
		t.Errorf("%d passwords to look for, want 2 (those unlike their user)", len(secrets))
	}
	c.Log(t)
}
