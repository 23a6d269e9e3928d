package dicomflow

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/testutil"
)

// freePort returns a TCP port nothing listens on now.
func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// waitListen waits until something accepts connections on port (before the
// capture starts, so the probes are not in it).
func waitListen(t *testing.T, port int, what string) {
	for range 200 {
		if c, err := net.DialTimeout("tcp", fmt.Sprint("127.0.0.1:", port), 100*time.Millisecond); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s does not listen on port %d", what, port)
}

// start runs a server in the background, stopped at the end of the test;
// its output goes to log.
func start(t *testing.T, ctx context.Context, log string, name string, args ...string) {
	f, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Dir = filepath.Dir(log)
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		f.Close()
	})
}

// runTool runs a client to completion and returns its output.
func runTool(t *testing.T, ctx context.Context, name string, args ...string) string {
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestLivePeers starts real DICOM peers on loopback — Orthanc as the PACS
// and storescp as a viewer — drives them with dcmtk's echoscu, storescu,
// findscu, movescu and getscu and nmap's dicom-ping, records the traffic
// with tcpdump, and checks medtap's events against tshark and against what
// the tools themselves report: images stored, moved and retrieved, and
// query matches. It catches the day a new dcmtk or Orthanc speaks
// differently, which the committed captures cannot.
func TestLivePeers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts servers")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root for tcpdump on lo")
	}
	tshark := testutil.Tool(t, "tshark", "tshark")
	tcpdump := testutil.Tool(t, "tcpdump", "tcpdump")
	orthanc := testutil.Tool(t, "Orthanc", "orthanc")
	nmap := testutil.Tool(t, "nmap", "nmap")
	for _, tool := range []string{"dump2dcm", "echoscu", "storescu", "findscu", "movescu", "getscu", "storescp"} {
		testutil.Tool(t, tool, "dcmtk")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	dir := t.TempDir()

	// The sample's CT and MR objects, made by dump2dcm.
	dumps, _ := filepath.Glob(filepath.Join(testutil.RepoRoot(t), "examples", "medscan", "testdata", "dicom", "*.dump"))
	if len(dumps) != 4 {
		t.Fatalf("%d dumps", len(dumps))
	}
	px := make([]byte, 128*128*2)
	for i := range 128 * 128 {
		binary.LittleEndian.PutUint16(px[2*i:], uint16(i%1000))
	}
	os.WriteFile(filepath.Join(dir, "mr_pixels.raw"), px, 0o644)
	var files []string
	for _, d := range dumps {
		out := filepath.Join(dir, strings.TrimSuffix(filepath.Base(d), ".dump")+".dcm")
		cmd := exec.CommandContext(ctx, "dump2dcm", "+te", "-g", d, out)
		cmd.Dir = dir
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("dump2dcm %s: %v\n%s", d, err, b)
		}
		files = append(files, out)
	}

	// nmap's dicom-ping runs on the ports its rule names (104, 11112); on
	// another, only version detection would make it run, whose probes are
	// not DICOM. So the PACS takes 11112 when it is free, and nmap is left
	// out when it is not.
	pacs, viewer, getPort := 11112, freePort(t), freePort(t)
	if l, err := net.Listen("tcp", "127.0.0.1:11112"); err != nil {
		pacs = freePort(t)
	} else {
		l.Close()
	}
	os.MkdirAll(filepath.Join(dir, "viewer"), 0o755)
	os.MkdirAll(filepath.Join(dir, "get"), 0o755)
	cfg := fmt.Sprintf(`{"Name": "MEDTAP-LIVE", "StorageDirectory": %q, "IndexDirectory": %q, "Plugins": [],
		"HttpServerEnabled": false, "HttpPort": %d, "RemoteAccessAllowed": false, "DicomServerEnabled": true,
		"DicomAet": "PACS", "DicomPort": %d, "DicomCheckCalledAet": true, "DicomCheckModalityHost": false,
		"DicomAlwaysAllowEcho": true, "DicomAlwaysAllowStore": true, "DicomAlwaysAllowFind": true,
		"DicomAlwaysAllowMove": true, "DicomAlwaysAllowGet": true, "DicomAssociationCloseDelay": 0,
		"DicomModalities": {"viewer": ["VIEWER", "127.0.0.1", %d], "radws": ["RADWS", "127.0.0.1", %d]},
		"SaveJobs": false, "StableAge": 1, "ConcurrentJobs": 1}`,
		filepath.Join(dir, "orthanc"), filepath.Join(dir, "orthanc"), freePort(t), pacs, viewer, getPort)
	os.WriteFile(filepath.Join(dir, "orthanc.json"), []byte(cfg), 0o644)
	start(t, ctx, filepath.Join(dir, "orthanc.log"), orthanc, filepath.Join(dir, "orthanc.json"))
	start(t, ctx, filepath.Join(dir, "storescp.log"), "storescp", "--aetitle", "VIEWER", "--output-directory", filepath.Join(dir, "viewer"), strconv.Itoa(viewer))
	waitListen(t, pacs, "Orthanc")
	waitListen(t, viewer, "storescp")

	pcap := filepath.Join(dir, "live.pcap")
	capture := exec.CommandContext(ctx, tcpdump, "-i", "lo", "-U", "--immediate-mode", "-B", "65536", "-s", "0", "-w", pcap,
		fmt.Sprintf("tcp and (port %d or port %d)", pacs, viewer))
	stderr, _ := capture.StderrPipe()
	if err := capture.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "listening on") {
				close(ready)
				for sc.Scan() {
				}
				return
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("tcpdump does not start")
	}

	host, port := "127.0.0.1", strconv.Itoa(pacs)
	runTool(t, ctx, "echoscu", "-aet", "RADWS", "-aec", "PACS", host, port)
	runTool(t, ctx, "storescu", append([]string{"-aet", "CT_SCANNER", "-aec", "PACS", host, port}, files...)...)
	find := runTool(t, ctx, "findscu", "-v", "-S", "-aet", "RADWS", "-aec", "PACS", "-k", "QueryRetrieveLevel=STUDY",
		"-k", "PatientID=*", "-k", "StudyInstanceUID", host, port)
	runTool(t, ctx, "movescu", "-S", "-aet", "RADWS", "-aec", "PACS", "-aem", "VIEWER", "-k", "QueryRetrieveLevel=STUDY",
		"-k", "StudyInstanceUID=2.25.29112026.1", host, port)
	runTool(t, ctx, "getscu", "-S", "-aet", "RADWS", "-aec", "PACS", "-od", filepath.Join(dir, "get"), "-k", "QueryRetrieveLevel=STUDY",
		"-k", "StudyInstanceUID=2.25.29112026.3", host, port)
	ping := "dicom-ping: (not run: port 11112 was taken)"
	if pacs == 11112 {
		ping = runTool(t, ctx, nmap, "-n", "-Pn", "-sT", "-p", port, "--script", "dicom-ping", host)
	}
	time.Sleep(500 * time.Millisecond) // the last ACKs
	capture.Process.Signal(syscall.SIGINT)
	capture.Wait()

	// What the tools say happened.
	matches := len(regexp.MustCompile(`Find Response: \d+ \(Pending\)`).FindAllString(find, -1))
	moved, _ := filepath.Glob(filepath.Join(dir, "viewer", "*"))
	got, _ := filepath.Glob(filepath.Join(dir, "get", "*"))
	if matches != 3 || len(moved) != 2 || len(got) != 1 || !strings.Contains(ping, "dicom-ping:") {
		t.Fatalf("tools: %d C-FIND matches (want 3 studies), %d images moved (want 2), %d retrieved (want 1); nmap:\n%s", matches, len(moved), len(got), ping)
	}

	// medtap against tshark, PDU by PDU.
	p := strconv.Itoa(pacs)
	compareWithTshark(t, tshark, pcap, p, strconv.Itoa(viewer))

	// medtap against the tools: the C-STOREs that succeeded per calling AE,
	// the pending C-FIND responses, and the associations nmap opened.
	stores, pending, nmapAssoc := map[string]int{}, 0, 0
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, flow.SinkFunc(func(ev *flow.Event) {
		switch d := ev.Detail.(type) {
		case *DIMSE:
			m := d.Message
			switch {
			case m.Command.String() == "C-STORE-RSP" && m.HasStatus && m.Status == 0:
				stores[string(d.CalledAE)+"<-"+string(d.CallingAE)]++
			case m.Command.String() == "C-FIND-RSP" && m.HasStatus && (m.Status == 0xFF00 || m.Status == 0xFF01):
				pending++
			}
		case *Associate:
			if ev.Kind == KindAssociateRQ && string(d.Associate.CalledAE) == "ANY-SCP" { // dicom-ping's
				nmapAssoc++
			}
		}
	}))
	flowtest.RunFile(t, e, pcap)
	want := map[string]int{
		"PACS<-CT_SCANNER": len(files), // storescu
		"VIEWER<-PACS":     len(moved), // Orthanc's C-STOREs for the C-MOVE
		"PACS<-RADWS":      len(got),   // the C-GET's C-STOREs, on RADWS's association to PACS
	}
	if fmt.Sprint(stores) != fmt.Sprint(want) || pending != matches || (nmapAssoc == 0) != (pacs != 11112) {
		t.Errorf("medtap: stores %v, %d pending C-FIND responses, %d nmap associations; tools: %v, %d matches", stores, pending, nmapAssoc, want, matches)
	}
	t.Logf("stores %v, %d C-FIND matches, %d nmap association(s)", stores, pending, nmapAssoc)
}
