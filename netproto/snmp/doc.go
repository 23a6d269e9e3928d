// Package snmp decodes SNMP messages (UDP 161 and 162): SNMPv1 and SNMPv2c
// with their community string, PDU and variable bindings, and the clear-text
// header of SNMPv3 (message id, flags, security model, the USM engine id,
// boots, time and user name, and the PDU when it is not encrypted; nothing
// is decrypted).
//
// [Parse] reads a datagram's payload into a [Message]. Its BER reader is
// bounded: definite lengths of at most four octets checked against their
// container, tag numbers below 31, integers of at most eight bytes,
// object identifiers of at most [Parser].MaxOIDLen sub-identifiers of at
// most 32 bits each; [Walker] walks BER of any shape within a nesting
// limit. Errors are [*Error] values with the offset of the offending
// element, wrapping one of the Err sentinels.
//
// Object identifiers are [OID] views of their encoding, compared without
// decoding, printed with [OID.AppendTo] and walked with [OID.Arcs]; values
// ([Value]) decode on demand ([Value.Int], [Value.Uint], [Value.IP],
// [Value.AppendTo]).
//
// [DefaultCommunity] tells whether a community string is a well-known
// default (the list, with the published source of each entry, is
// communities.txt), and [EnterpriseName] names the vendor behind a
// sysObjectID (enterprises.txt, from IANA's registry).
//
// Parse, the iterators, the Append functions and [Sniff] allocate nothing;
// every view is valid as long as the message's bytes are.
package snmp
