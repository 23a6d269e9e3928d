// Package segment turns the flows seen on a hospital network and the class
// of each device into the advice a network engineer needs to segment it:
//
//   - the communication matrix between device classes (which classes talk to
//     which, on which protocols and ports, how often);
//   - the minimal allow-list a firewall or VLAN ACL needs for what was seen,
//     one rule per device, or per class when every device of a class shares
//     it;
//   - the unusual crossings, listed apart with the reason for each: a class
//     talking to a class it normally never talks to (see
//     [DefaultExpectations]), on a protocol the pair does not normally use,
//     a device of unknown class, or a clinical device and an address outside
//     the local ranges (the internet);
//   - renderings of all of it as JSON ([Advice.AppendJSON]), a readable table
//     ([Advice.AppendText]) and an nftables rule set for review
//     ([Advice.AppendNftables]).
//
// A [Collector] aggregates [Flow] records by (client, server, transport,
// port, protocol) within a cap on distinct tuples ([Collector.MaxTuples]);
// past it the least useful tuple is evicted and counted in [Stats]. Adding a
// flow allocates nothing in steady state. [Collector.Advice] computes the
// advice on demand from the tuples held and a list of devices ([Device]), so a
// device's class can change (as an inventory learns more) without
// re-reading any flow.
//
// The package depends on nothing but the standard library: devices and flows
// are plain types defined here, filled by whoever knows them (medtap's
// inventory and flow engine, or another source).
package segment
