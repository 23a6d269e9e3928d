package segment

import (
	"slices"
	"strconv"
	"strings"
)

// An Expectation says that devices of class Client normally open flows to
// devices of class Server on the listed services. A flow that no
// expectation covers is an unusual crossing.
type Expectation struct {
	Client, Server Class // a class, or AnyClass
	// Services are protocol names as in [Flow.Protocol] ("dicom"), TCP or
	// UDP ports as "tcp/104" or "udp/53" (matching any flow to that port,
	// identified or not), or "*" for every service.
	Services []string
	Note     string // why the pair talks
}

// DefaultExpectations returns a new copy of the table of expected class
// pairs, for a caller to extend:
//
//	c.Expected = append(segment.DefaultExpectations(), segment.Expectation{
//		Client: segment.ClassEHR, Server: segment.ClassInternet, Services: []string{"tls"},
//		Note: "hosted EHR"})
//
// The rows follow the workflows of IHE Radiology (Scheduled Workflow:
// worklist, MPPS, storage, storage commitment, query/retrieve, print), IHE
// Laboratory (analyser to LIS or middleware over ASTM E1394, HL7 or
// POCT1-A), IHE Patient Care Device (device observations and infusion
// orders through gateways, HL7 to the EHR) and HL7 interfaces through an
// interface engine, plus the infrastructure every device uses (DHCP, DNS,
// NTP, syslog, SNMP). No row lets a clinical class reach the internet, and
// no row lets office workstations talk to each other. The README lists the
// table.
func DefaultExpectations() []Expectation {
	out := make([]Expectation, len(defaultExpectations))
	for i, e := range defaultExpectations {
		e.Services = slices.Clone(e.Services)
		out[i] = e
	}
	return out
}

var (
	dicom    = []string{"dicom"}
	hl7      = []string{"hl7"}
	anySvc   = []string{"*"}
	web      = []string{"http", "tls"}
	lab      = []string{"astm", "hl7", "poct1a"}
	infra    = []string{"dhcp", "udp/53", "tcp/53", "udp/123", "udp/514", "udp/162"}
	netInfra = []string{"dhcp", "udp/53", "tcp/53", "udp/123"}
)

var defaultExpectations = []Expectation{
	// Imaging (IHE RAD Scheduled Workflow, DICOM PS3.4)
	{ClassModality, ClassPACS, dicom, "images stored (C-STORE), storage commitment requested"},
	{ClassModality, ClassRIS, dicom, "modality worklist (C-FIND) and MPPS (N-CREATE, N-SET)"},
	{ClassModality, ClassWorkstation, dicom, "images sent for viewing or post-processing"},
	{ClassModality, ClassPrinter, dicom, "DICOM print (film session)"},
	{ClassPACS, ClassModality, dicom, "storage commitment result on a new association (N-EVENT-REPORT)"},
	{ClassPACS, ClassWorkstation, dicom, "retrieved images sent to the move destination (C-STORE)"},
	{ClassPACS, ClassPACS, dicom, "archive replication and migration"},
	{ClassPACS, ClassRIS, hl7, "study and report status"},
	{ClassWorkstation, ClassPACS, []string{"dicom", "http", "tls"}, "query/retrieve (C-FIND, C-MOVE, C-GET), results stored, web viewing"},
	{ClassWorkstation, ClassRIS, []string{"dicom", "hl7", "http", "tls"}, "worklist and reporting"},
	{ClassWorkstation, ClassPrinter, anySvc, "printing"},
	{ClassRIS, ClassPACS, []string{"dicom", "hl7"}, "orders and prefetch (C-MOVE)"},

	// HL7 interfaces
	{ClassInterfaceEngine, ClassEHR, hl7, "HL7 interface"},
	{ClassEHR, ClassInterfaceEngine, hl7, "HL7 interface"},
	{ClassInterfaceEngine, ClassLIS, hl7, "HL7 interface: orders"},
	{ClassLIS, ClassInterfaceEngine, hl7, "HL7 interface: results"},
	{ClassInterfaceEngine, ClassRIS, hl7, "HL7 interface: orders, ADT"},
	{ClassRIS, ClassInterfaceEngine, hl7, "HL7 interface: results, reports"},
	{ClassInterfaceEngine, ClassPACS, hl7, "HL7 interface: orders, ADT"},
	{ClassPACS, ClassInterfaceEngine, hl7, "HL7 interface: study status"},
	{ClassInterfaceEngine, ClassLabMiddleware, hl7, "HL7 interface: orders"},
	{ClassLabMiddleware, ClassInterfaceEngine, hl7, "HL7 interface: results"},
	{ClassInterfaceEngine, ClassInterfaceEngine, hl7, "engine to engine"},
	{ClassEHR, ClassLIS, hl7, "direct HL7 interface: orders"},
	{ClassLIS, ClassEHR, hl7, "direct HL7 interface: results"},
	{ClassEHR, ClassRIS, hl7, "direct HL7 interface: orders"},
	{ClassRIS, ClassEHR, hl7, "direct HL7 interface: reports"},

	// Laboratory (IHE LAB, CLSI LIS1/LIS2 (ASTM E1381/E1394), POCT1-A)
	{ClassLabAnalyser, ClassLIS, lab, "results and host queries"},
	{ClassLabAnalyser, ClassLabMiddleware, lab, "results and host queries"},
	{ClassLIS, ClassLabAnalyser, []string{"astm", "hl7"}, "orders, when the LIS opens the connection"},
	{ClassLabMiddleware, ClassLabAnalyser, lab, "orders, when the middleware opens the connection"},
	{ClassLabMiddleware, ClassLIS, []string{"astm", "hl7"}, "results"},
	{ClassLIS, ClassLabMiddleware, []string{"astm", "hl7"}, "orders"},

	// Patient care devices (IHE PCD: DEC, PIV) and their gateways
	{ClassMonitor, ClassMonitorGateway, anySvc, "vital signs and alarms to the central station (vendor protocols)"},
	{ClassMonitorGateway, ClassMonitor, anySvc, "data export associations opened by the gateway (IntelliVue)"},
	{ClassMonitor, ClassMulticast, []string{"intellivue", "udp/24005"}, "IntelliVue connect indication broadcast"},
	{ClassMonitorGateway, ClassEHR, hl7, "device observations (IHE PCD-01)"},
	{ClassMonitorGateway, ClassInterfaceEngine, hl7, "device observations (IHE PCD-01)"},
	{ClassPump, ClassPumpGateway, anySvc, "pump status and events to the pump server (vendor protocols)"},
	{ClassPumpGateway, ClassPump, anySvc, "drug library and programming pushed to pumps"},
	{ClassPumpGateway, ClassEHR, hl7, "infusion events (IHE PCD-01)"},
	{ClassPumpGateway, ClassInterfaceEngine, hl7, "infusion events (IHE PCD-01)"},
	{ClassEHR, ClassPumpGateway, hl7, "infusion orders (IHE PCD-03, PIV)"},
	{ClassInterfaceEngine, ClassPumpGateway, hl7, "infusion orders (IHE PCD-03, PIV)"},
	{ClassMonitor, ClassIoTGateway, anySvc, "device integration"},
	{ClassPump, ClassIoTGateway, anySvc, "device integration"},
	{ClassVentilator, ClassIoTGateway, anySvc, "device integration"},
	{ClassVentilator, ClassMonitorGateway, anySvc, "device integration"},
	{ClassIoTGateway, ClassEHR, hl7, "device observations (IHE PCD-01)"},
	{ClassIoTGateway, ClassInterfaceEngine, hl7, "device observations (IHE PCD-01)"},

	// Clinical applications used from office workstations
	{ClassITWorkstation, ClassEHR, anySvc, "EHR clients"},
	{ClassITWorkstation, ClassPACS, []string{"http", "tls", "dicom"}, "web and desktop image viewers"},
	{ClassITWorkstation, ClassRIS, web, "RIS clients"},
	{ClassITWorkstation, ClassLIS, web, "LIS clients"},
	{ClassITWorkstation, ClassLabMiddleware, web, "middleware consoles"},
	{ClassITWorkstation, ClassMonitorGateway, web, "central station web views"},
	{ClassITWorkstation, ClassPumpGateway, web, "pump server consoles"},
	{ClassITWorkstation, ClassIoTGateway, web, "gateway consoles"},
	{ClassITWorkstation, ClassInterfaceEngine, web, "engine consoles"},

	// Infrastructure
	{AnyClass, ClassITServer, infra, "DHCP, DNS, NTP, syslog, SNMP traps"},
	{AnyClass, ClassNetwork, netInfra, "DHCP relay, DNS and NTP on routers"},
	{AnyClass, ClassMulticast, []string{"dhcp", "udp/67"}, "DHCP discovery broadcast"},
	{ClassITServer, AnyClass, []string{"snmp", "udp/161"}, "SNMP polling by network management"},
	{ClassNetwork, ClassITServer, anySvc, "syslog, RADIUS, TACACS+, management"},
	{ClassITServer, ClassNetwork, anySvc, "management"},
	{ClassNetwork, ClassNetwork, anySvc, "routing and management"},
	{ClassWorkstation, ClassITServer, anySvc, "directory, file and update services"},
	{ClassPACS, ClassITServer, anySvc, "directory, backup, update services"},
	{ClassRIS, ClassITServer, anySvc, "directory, backup, update services"},
	{ClassLIS, ClassITServer, anySvc, "directory, backup, update services"},
	{ClassLabMiddleware, ClassITServer, anySvc, "directory, backup, update services"},
	{ClassEHR, ClassITServer, anySvc, "directory, backup, update services"},
	{ClassInterfaceEngine, ClassITServer, anySvc, "directory, backup, update services"},
	{ClassMonitorGateway, ClassITServer, anySvc, "directory, backup, update services"},
	{ClassPumpGateway, ClassITServer, anySvc, "directory, backup, update services"},
	{ClassIoTGateway, ClassITServer, anySvc, "directory, backup, update services"},

	// Office IT
	{ClassITWorkstation, ClassITServer, anySvc, "office services"},
	{ClassITServer, ClassITServer, anySvc, "server to server"},
	{ClassITWorkstation, ClassPrinter, anySvc, "printing"},
	{ClassITServer, ClassPrinter, anySvc, "print server"},
	{ClassITWorkstation, ClassMulticast, anySvc, "service discovery"},
	{ClassITServer, ClassMulticast, anySvc, "service discovery"},
	{ClassITWorkstation, ClassInternet, anySvc, "web browsing"},
	{ClassITServer, ClassInternet, anySvc, "updates, mail, proxies"},
	{ClassNetwork, ClassInternet, anySvc, "uplink"},
}

// service is what a flow speaks: an identified protocol (or ""), on a
// transport and port.
type service struct {
	protocol  string
	transport Transport
	port      uint16
}

func (s service) String() string {
	p := s.transport.String()
	if s.transport.hasPorts() {
		p += "/" + strconv.Itoa(int(s.port))
	}
	if s.protocol == "" {
		return p
	}
	return s.protocol + " " + p
}

// matcher judges flows against a table of expectations.
type matcher struct {
	rows  []Expectation
	specs [][]spec           // rows[i].Services, parsed
	pairs map[[2]Class][]int // rows that apply to a class pair, made on demand
}

// spec is one parsed service of an expectation.
type spec struct {
	any       bool
	protocol  string // a protocol name, or "" for a port
	transport Transport
	port      uint16
}

func newMatcher(rows []Expectation) *matcher {
	if rows == nil {
		rows = defaultExpectations
	}
	m := &matcher{rows: rows, specs: make([][]spec, len(rows)), pairs: make(map[[2]Class][]int)}
	for i, r := range rows {
		for _, s := range r.Services {
			m.specs[i] = append(m.specs[i], parseSpec(s))
		}
	}
	return m
}

// parseSpec parses "*", "tcp/104" or a protocol name; anything else is a
// protocol name too (one that no flow has, unless it does).
func parseSpec(s string) spec {
	if s == "*" {
		return spec{any: true}
	}
	t, p, ok := strings.Cut(s, "/")
	if ok && (t == "tcp" || t == "udp") {
		if port, err := strconv.ParseUint(p, 10, 16); err == nil {
			tr := TCP
			if t == "udp" {
				tr = UDP
			}
			return spec{transport: tr, port: uint16(port)}
		}
	}
	return spec{protocol: s}
}

func (sp *spec) matches(s service) bool {
	switch {
	case sp.any:
		return true
	case sp.protocol != "":
		return sp.protocol == s.protocol
	}
	return sp.transport != 0 && sp.transport == s.transport && sp.port == s.port
}

func classMatches(row, c Class) bool {
	return row == c || (row == AnyClass && c != ClassInternet && c != ClassMulticast)
}

// rowsFor returns the rows whose classes cover client and server.
func (m *matcher) rowsFor(client, server Class) []int {
	p := [2]Class{client, server}
	rows, ok := m.pairs[p]
	if !ok {
		for i, r := range m.rows {
			if classMatches(r.Client, client) && classMatches(r.Server, server) {
				rows = append(rows, i)
			}
		}
		m.pairs[p] = rows
	}
	return rows
}

// expected reports whether a row covers the flow, and whether any row
// covers the class pair at all.
func (m *matcher) expected(client, server Class, s service) (ok, pair bool) {
	rows := m.rowsFor(client, server)
	for _, i := range rows {
		for j := range m.specs[i] {
			if m.specs[i][j].matches(s) {
				return true, true
			}
		}
	}
	return false, len(rows) > 0
}

// services lists what the rows of a class pair allow, for a reason's text.
func (m *matcher) services(client, server Class) []string {
	var out []string
	for _, i := range m.rowsFor(client, server) {
		for _, sv := range m.rows[i].Services {
			if !slices.Contains(out, sv) {
				out = append(out, sv)
			}
		}
	}
	return out
}
