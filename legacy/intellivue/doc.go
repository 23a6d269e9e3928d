// Package intellivue decodes the Philips IntelliVue Data Export protocol that
// IntelliVue patient monitors (MP/MX series) speak over UDP on their LAN
// interface, as described in Philips' public "Data Export Interface
// Programming Guide".
//
// Every UDP datagram carries one message. [Sniff] says whether a datagram
// looks like one; [Parse] reads its headers into a [Message] whose bodies
// are views into the datagram; typed accessors decode what a passive
// observer needs:
//
//   - the connect indication a monitor broadcasts on UDP port 24005
//     ([Message.Attributes], with the monitor's model, system ID and
//     network address);
//   - association control on port 24105: association request and response,
//     refuse, release request and response, abort ([Kind]); the MDSE user
//     information of requests and responses ([Message.UserInfo]: protocol
//     and nomenclature versions, system type, startup mode, option list and
//     the poll profile with its extended options);
//   - data export messages (SPpdu session 0xE100 with a remote operation):
//     invoke, result, linked result and error ([Message.RO]), with the
//     command and its event or action type;
//   - the MDS create event that opens a session ([Message.Attributes]; see
//     [Identity] for the manufacturer, model, system ID, serial number and
//     software revision, the evidence for device fingerprints);
//   - single and extended poll requests ([Message.PollRequest]) and their
//     results, single or linked ([Message.PollReply]), with an iterator
//     over the observations and their attributes, numerics single or
//     compound ([Attr.Numerics]) with the FLOATType special values
//     ([FloatSpecial]) and names for common physiological IDs and units
//     ([PhysioID], [UnitCode]), alarm list entries ([Attr.Alarms]: source,
//     code, type, state, the alarm string) and the alert condition
//     ([Attr.AlertCondition]), patient demographics
//     ([Observation.Demographics], protected health information), and
//     sample arrays ([Attr.Waves]) with their layout ([ParseSampleSpec])
//     and scale ([ParseScaleRange]);
//   - summaries of a poll result that carry no patient data: what it holds
//     ([PollReply.Summary]), its high priority and new alarms
//     ([PollReply.AlarmCounts]) and which demographics it carries
//     ([PollReply.PatientSummary]);
//   - GET and SET: the attribute IDs a GET asks for ([Message.GetRequest]),
//     the modifications a SET makes ([Message.SetRequest]), the attributes
//     their results return ([Message.ResultAttributes]), and the IDs of any
//     of them ([Message.AttributeIDs]);
//   - remote operation errors ([ErrorValue]).
//
// Wire codes are named types ([ObjectClass], [AttrID], [Command], ...) whose
// String method returns the guide's identifier ("NOM_MOC_VMO_METRIC_NU").
// Iterators follow the bufio.Scanner style:
//
//	it := p.Observations()
//	for it.Next() {
//		o := it.Observation()
//		...
//	}
//	if err := it.Err(); err != nil { ... }
//
// Errors that point into a datagram are [*Error] values carrying the byte
// offset and wrapping a sentinel such as [ErrTruncated].
//
// Not covered: the presentation layer of association messages beyond
// locating the user information, event reports other than the MDS create
// and connect indication, and enumerated values (NOM_ATTR_VAL_ENUM_OBS).
//
// Parsing and iterating allocate nothing; all lengths are checked against
// the datagram. Only errors and the String of an unknown code allocate.
package intellivue
