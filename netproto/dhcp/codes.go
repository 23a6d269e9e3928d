package dhcp

import "strconv"

// Op is the BOOTP op code of a DHCPv4 message: who sends it.
type Op uint8

// The op codes (RFC 951).
const (
	OpRequest Op = 1 // BOOTREQUEST: from a client (or a relay on its behalf)
	OpReply   Op = 2 // BOOTREPLY: from a server
)

func (o Op) String() string {
	switch o {
	case OpRequest:
		return "BOOTREQUEST"
	case OpReply:
		return "BOOTREPLY"
	}
	return "Op(" + strconv.Itoa(int(o)) + ")"
}

// MessageType is the DHCPv4 message type, option 53.
type MessageType uint8

// The DHCPv4 message types (RFC 2132, 3203, 4388, 6926, 7724, 8156 and
// IANA's registry).
const (
	Discover         MessageType = 1
	Offer            MessageType = 2
	Request          MessageType = 3
	Decline          MessageType = 4
	Ack              MessageType = 5
	Nak              MessageType = 6
	Release          MessageType = 7
	Inform           MessageType = 8
	ForceRenew       MessageType = 9
	LeaseQuery       MessageType = 10
	LeaseUnassigned  MessageType = 11
	LeaseUnknown     MessageType = 12
	LeaseActive      MessageType = 13
	BulkLeaseQuery   MessageType = 14
	LeaseQueryDone   MessageType = 15
	ActiveLeaseQuery MessageType = 16
	LeaseQueryStatus MessageType = 17
	TLS              MessageType = 18
)

var messageTypeNames = [...]string{
	Discover: "discover", Offer: "offer", Request: "request", Decline: "decline", Ack: "ack", Nak: "nak",
	Release: "release", Inform: "inform", ForceRenew: "forcerenew", LeaseQuery: "leasequery",
	LeaseUnassigned: "leaseunassigned", LeaseUnknown: "leaseunknown", LeaseActive: "leaseactive",
	BulkLeaseQuery: "bulkleasequery", LeaseQueryDone: "leasequerydone", ActiveLeaseQuery: "activeleasequery",
	LeaseQueryStatus: "leasequerystatus", TLS: "tls",
}

// String returns the type's IANA name in lower case without its "DHCP"
// prefix ("discover", "ack"), or "MessageType(N)" for an unknown value.
func (t MessageType) String() string {
	if int(t) < len(messageTypeNames) && messageTypeNames[t] != "" {
		return messageTypeNames[t]
	}
	return "MessageType(" + strconv.Itoa(int(t)) + ")"
}

// OptionCode is a DHCPv4 option code.
type OptionCode uint8

// Some DHCPv4 option codes (RFC 2132 and later; IANA's registry lists all).
const (
	OptPad              OptionCode = 0
	OptSubnetMask       OptionCode = 1
	OptRouter           OptionCode = 3
	OptDNSServer        OptionCode = 6
	OptHostName         OptionCode = 12
	OptDomainName       OptionCode = 15
	OptBroadcastAddress OptionCode = 28
	OptNTPServers       OptionCode = 42
	OptVendorSpecific   OptionCode = 43
	OptRequestedIP      OptionCode = 50
	OptLeaseTime        OptionCode = 51
	OptOverload         OptionCode = 52
	OptMessageType      OptionCode = 53
	OptServerID         OptionCode = 54
	OptParamList        OptionCode = 55
	OptMessage          OptionCode = 56
	OptMaxMessageSize   OptionCode = 57
	OptRenewalTime      OptionCode = 58
	OptRebindingTime    OptionCode = 59
	OptVendorClass      OptionCode = 60
	OptClientID         OptionCode = 61
	OptUserClass        OptionCode = 77
	OptFQDN             OptionCode = 81
	OptRelayAgentInfo   OptionCode = 82
	OptClientArch       OptionCode = 93
	OptClientNDI        OptionCode = 94
	OptClientUUID       OptionCode = 97
	OptDomainSearch     OptionCode = 119
	OptClasslessRoutes  OptionCode = 121
	OptVIVendorClass    OptionCode = 124
	OptVIVendorSpecific OptionCode = 125
	OptEnd              OptionCode = 255
)

var optionNames = map[OptionCode]string{
	0: "pad", 1: "subnet-mask", 2: "time-offset", 3: "router", 4: "time-server", 5: "name-server",
	6: "domain-name-server", 7: "log-server", 8: "cookie-server", 9: "lpr-server", 10: "impress-server",
	11: "resource-location-server", 12: "host-name", 13: "boot-file-size", 14: "merit-dump",
	15: "domain-name", 16: "swap-server", 17: "root-path", 18: "extensions-path", 19: "ip-forwarding",
	20: "non-local-source-routing", 21: "policy-filter", 22: "max-datagram-reassembly",
	23: "default-ip-ttl", 24: "path-mtu-aging-timeout", 25: "path-mtu-plateau-table",
	26: "interface-mtu", 27: "all-subnets-local", 28: "broadcast-address", 29: "perform-mask-discovery",
	30: "mask-supplier", 31: "router-discovery", 32: "router-solicitation-address", 33: "static-routes",
	34: "trailer-encapsulation", 35: "arp-cache-timeout", 36: "ieee802-3-encapsulation",
	37: "default-tcp-ttl", 38: "tcp-keepalive-interval", 39: "tcp-keepalive-garbage", 40: "nis-domain",
	41: "nis-servers", 42: "ntp-servers", 43: "vendor-specific", 44: "netbios-name-servers",
	45: "netbios-dd-server", 46: "netbios-node-type", 47: "netbios-scope", 48: "x-font-servers",
	49: "x-display-manager", 50: "requested-ip-address", 51: "lease-time", 52: "option-overload",
	53: "message-type", 54: "server-identifier", 55: "parameter-request-list", 56: "message",
	57: "max-message-size", 58: "renewal-time", 59: "rebinding-time", 60: "vendor-class-identifier",
	61: "client-identifier", 66: "tftp-server-name", 67: "bootfile-name", 69: "smtp-server",
	77: "user-class", 80: "rapid-commit", 81: "client-fqdn", 82: "relay-agent-information",
	90: "authentication", 93: "client-system-architecture", 94: "client-network-interface",
	97: "client-machine-identifier", 100: "pcode", 101: "tcode", 108: "ipv6-only-preferred",
	114: "captive-portal", 116: "auto-configure", 118: "subnet-selection", 119: "domain-search",
	120: "sip-servers", 121: "classless-static-routes", 124: "vi-vendor-class",
	125: "vi-vendor-specific", 150: "tftp-server-address", 249: "private-classless-static-routes",
	252: "proxy-autodiscovery", 255: "end",
}

// String returns the option's name in lower case ("host-name",
// "parameter-request-list"), or "OptionCode(N)" for one without a name
// here.
func (c OptionCode) String() string {
	if s, ok := optionNames[c]; ok {
		return s
	}
	return "OptionCode(" + strconv.Itoa(int(c)) + ")"
}

// MessageType6 is the DHCPv6 message type, the first byte of a message.
type MessageType6 uint8

// The DHCPv6 message types (RFC 8415 and IANA's registry).
const (
	Solicit            MessageType6 = 1
	Advertise          MessageType6 = 2
	Request6           MessageType6 = 3
	Confirm            MessageType6 = 4
	Renew              MessageType6 = 5
	Rebind             MessageType6 = 6
	Reply              MessageType6 = 7
	Release6           MessageType6 = 8
	Decline6           MessageType6 = 9
	Reconfigure        MessageType6 = 10
	InformationRequest MessageType6 = 11
	RelayForw          MessageType6 = 12
	RelayRepl          MessageType6 = 13
	LeaseQuery6        MessageType6 = 14
	LeaseQueryReply    MessageType6 = 15
	LeaseQueryDone6    MessageType6 = 16
	LeaseQueryData     MessageType6 = 17
	ReconfigureRequest MessageType6 = 18
	ReconfigureReply   MessageType6 = 19
	DHCPv4Query        MessageType6 = 20
	DHCPv4Response     MessageType6 = 21
)

var messageType6Names = [...]string{
	Solicit: "solicit", Advertise: "advertise", Request6: "request", Confirm: "confirm", Renew: "renew",
	Rebind: "rebind", Reply: "reply", Release6: "release", Decline6: "decline", Reconfigure: "reconfigure",
	InformationRequest: "information-request", RelayForw: "relay-forw", RelayRepl: "relay-repl",
	LeaseQuery6: "leasequery", LeaseQueryReply: "leasequery-reply", LeaseQueryDone6: "leasequery-done",
	LeaseQueryData: "leasequery-data", ReconfigureRequest: "reconfigure-request",
	ReconfigureReply: "reconfigure-reply", DHCPv4Query: "dhcpv4-query", DHCPv4Response: "dhcpv4-response",
}

// String returns the type's IANA name in lower case ("solicit",
// "information-request", "relay-forw"), or "MessageType6(N)" for an
// unknown value.
func (t MessageType6) String() string {
	if int(t) < len(messageType6Names) && messageType6Names[t] != "" {
		return messageType6Names[t]
	}
	return "MessageType6(" + strconv.Itoa(int(t)) + ")"
}

// FromClient reports whether clients send messages of type t: Solicit,
// Request, Confirm, Renew, Rebind, Release, Decline and
// Information-request.
func (t MessageType6) FromClient() bool {
	switch t {
	case Solicit, Request6, Confirm, Renew, Rebind, Release6, Decline6, InformationRequest:
		return true
	}
	return false
}

// FromServer reports whether servers send messages of type t to clients:
// Advertise, Reply and Reconfigure.
func (t MessageType6) FromServer() bool {
	return t == Advertise || t == Reply || t == Reconfigure
}

// IsRelay reports whether t is Relay-forward or Relay-reply, whose
// header differs from that of the other messages.
func (t MessageType6) IsRelay() bool { return t == RelayForw || t == RelayRepl }

// OptionCode6 is a DHCPv6 option code.
type OptionCode6 uint16

// Some DHCPv6 option codes (RFC 8415 and later; IANA's registry lists
// all).
const (
	Opt6ClientID     OptionCode6 = 1
	Opt6ServerID     OptionCode6 = 2
	Opt6IANA         OptionCode6 = 3
	Opt6IATA         OptionCode6 = 4
	Opt6IAAddr       OptionCode6 = 5
	Opt6ORO          OptionCode6 = 6
	Opt6Preference   OptionCode6 = 7
	Opt6ElapsedTime  OptionCode6 = 8
	Opt6RelayMessage OptionCode6 = 9
	Opt6Auth         OptionCode6 = 11
	Opt6Unicast      OptionCode6 = 12
	Opt6StatusCode   OptionCode6 = 13
	Opt6RapidCommit  OptionCode6 = 14
	Opt6UserClass    OptionCode6 = 15
	Opt6VendorClass  OptionCode6 = 16
	Opt6VendorOpts   OptionCode6 = 17
	Opt6InterfaceID  OptionCode6 = 18
	Opt6ReconfMsg    OptionCode6 = 19
	Opt6ReconfAccept OptionCode6 = 20
	Opt6DNSServers   OptionCode6 = 23
	Opt6DomainList   OptionCode6 = 24
	Opt6IAPD         OptionCode6 = 25
	Opt6IAPrefix     OptionCode6 = 26
	Opt6SNTPServers  OptionCode6 = 31
	Opt6InfoRefresh  OptionCode6 = 32
	Opt6RemoteID     OptionCode6 = 37
	Opt6SubscriberID OptionCode6 = 38
	Opt6FQDN         OptionCode6 = 39
	Opt6NTPServer    OptionCode6 = 56
	Opt6ClientLLAddr OptionCode6 = 79
	Opt6SolMaxRT     OptionCode6 = 82
	Opt6InfMaxRT     OptionCode6 = 83
)

var option6Names = map[OptionCode6]string{
	1: "client-id", 2: "server-id", 3: "ia-na", 4: "ia-ta", 5: "iaaddr", 6: "oro", 7: "preference",
	8: "elapsed-time", 9: "relay-msg", 11: "auth", 12: "unicast", 13: "status-code", 14: "rapid-commit",
	15: "user-class", 16: "vendor-class", 17: "vendor-opts", 18: "interface-id", 19: "reconf-msg",
	20: "reconf-accept", 21: "sip-server-d", 22: "sip-server-a", 23: "dns-servers", 24: "domain-list",
	25: "ia-pd", 26: "iaprefix", 27: "nis-servers", 28: "nisp-servers", 29: "nis-domain-name",
	30: "nisp-domain-name", 31: "sntp-servers", 32: "information-refresh-time", 37: "remote-id",
	38: "subscriber-id", 39: "client-fqdn", 56: "ntp-server", 59: "bootfile-url", 60: "bootfile-param",
	61: "client-arch-type", 64: "aftr-name", 79: "client-linklayer-addr", 82: "sol-max-rt",
	83: "inf-max-rt",
}

// String returns the option's name in lower case as IANA's registry spells
// it without the OPTION_ prefix ("client-id", "ia-na", "client-fqdn"), or
// "OptionCode6(N)" for one without a name here.
func (c OptionCode6) String() string {
	if s, ok := option6Names[c]; ok {
		return s
	}
	return "OptionCode6(" + strconv.Itoa(int(c)) + ")"
}

// DUIDType is the type of a DHCP Unique Identifier, its first two bytes.
type DUIDType uint16

// The DUID types (RFC 8415 11, RFC 6355).
const (
	DUIDLLT  DUIDType = 1 // link-layer address plus time
	DUIDEN   DUIDType = 2 // assigned by vendor, by enterprise number
	DUIDLL   DUIDType = 3 // link-layer address
	DUIDUUID DUIDType = 4 // UUID
)

func (t DUIDType) String() string {
	switch t {
	case DUIDLLT:
		return "DUID-LLT"
	case DUIDEN:
		return "DUID-EN"
	case DUIDLL:
		return "DUID-LL"
	case DUIDUUID:
		return "DUID-UUID"
	}
	return "DUIDType(" + strconv.Itoa(int(t)) + ")"
}
