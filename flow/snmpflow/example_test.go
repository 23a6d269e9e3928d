package snmpflow_test

import (
	"fmt"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/snmpflow"
	"github.com/medtap/medtap/internal/pkttest"
)

// A response that names the agent yields its identities; the community is
// reported as a cleartext login, once per flow, and never written.
func Example() {
	e, err := flow.NewEngine(flow.Config{Protocols: []string{snmpflow.Name}}, flow.SinkFunc(func(ev *flow.Event) {
		switch d := ev.Detail.(type) {
		case *snmpflow.Message:
			fmt.Println(ev.Kind, ev.Src, d.Vendor())
			d.Identify(ev.Kind, nil, func(id flow.Identity) { fmt.Printf("  %s: %s\n", id.Kind, id.Name) })
		case *snmpflow.Login:
			fmt.Println(ev.Kind, "default:", d.Default)
		}
	}))
	if err != nil {
		fmt.Println(err)
		return
	}
	e.Packet(pkttest.T0, flow.LinkRaw, pkttest.RawUDP(agent, mgr, response("public")))
	// Output:
	// response 10.216.0.20:161 Philips Medizin Systeme Boeblingen GmbH
	//   host: mx-bed4
	//   os: IntelliVue X3
	//   vendor: Philips Medizin Systeme Boeblingen GmbH
	// cleartext-login default: true
}
