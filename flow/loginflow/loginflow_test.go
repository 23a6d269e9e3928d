package loginflow_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/medtap/medtap/flow"
	_ "github.com/medtap/medtap/flow/dicomflow"
	_ "github.com/medtap/medtap/flow/ftpflow"
	_ "github.com/medtap/medtap/flow/httpflow"
	"github.com/medtap/medtap/flow/loginflow"
	_ "github.com/medtap/medtap/flow/mailflow"
	_ "github.com/medtap/medtap/flow/telnetflow"
	"github.com/medtap/medtap/internal/flowtest"
)

// TestCaptures decodes every real-peer capture with all the adapters that
// report logins registered at once: each flow must go to its protocol
// (content and ports do not confuse them), without a decode error, and the
// logins of all the captures come out in order.
func TestCaptures(t *testing.T) {
	root := filepath.Join("..", "..")
	var logins []string
	for _, c := range []struct{ file, proto string }{
		{"netproto/http/testdata/http.pcap", "http"},
		{"netproto/ftp/testdata/ftp.pcap", "ftp"},
		{"netproto/telnet/testdata/telnet.pcap", "telnet"},
		{"netproto/mail/testdata/mail.pcap", ""}, // pop3 and imap
		{"flow/dicomflow/testdata/login.pcap", "dicom"},
	} {
		e := flowtest.NewEngine(t, flow.Config{}, flow.SinkFunc(func(ev *flow.Event) {
			switch {
			case ev.Kind == flow.KindError:
				t.Errorf("%s: decode error %s", c.file, ev.Detail.AppendJSON(nil))
			case ev.Kind == flow.KindEnd:
				app := ev.Detail.(*flow.FlowInfo).Protocol
				ok := app == c.proto || (c.proto == "" && (app == "pop3" || app == "imap"))
				// FTP's passive data connections carry no protocol.
				if !ok && !(c.proto == "ftp" && app == "") {
					t.Errorf("%s: flow %v identified as %q", c.file, ev.Key, app)
				}
			case ev.Kind == loginflow.KindLogin:
				logins = append(logins, string(ev.Detail.AppendJSON(nil)))
			}
		}))
		flowtest.RunFile(t, e, filepath.Join(root, c.file))
	}
	if len(logins) != 2+4+3+6+4 {
		t.Errorf("%d logins:\n%s", len(logins), strings.Join(logins, "\n"))
	}
}

func ExampleLogin_AppendJSON() {
	l := loginflow.Login{Protocol: "ftp", User: []byte("insite"), Outcome: loginflow.Failure, DefaultCredential: true}
	fmt.Println(string(l.AppendJSON(nil)))
	// Output: ,"protocol":"ftp","user":"insite","success":false,"default_credential":true
}
