package mllp_test

import (
	"bufio"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/medtap/medtap/mllp"
)

const python = "/usr/bin/python3"

// needPythonHL7 skips the test unless Debian's python3-hl7 is installed.
func needPythonHL7(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath(python); err != nil {
		t.Skip("python3 not installed (apt install python3-hl7)")
	}
	if err := exec.Command(python, "-c", "import hl7.mllp").Run(); err != nil {
		t.Skip("python3-hl7 not installed (apt install python3-hl7)")
	}
}

const pyClient = `
import asyncio, sys, hl7
from hl7.mllp import open_hl7_connection
async def main(port, n):
    reader, writer = await open_hl7_connection("127.0.0.1", port, encoding="utf-8")
    for i in range(n):
        msg = "MSH|^~\\&|PYCLIENT|FAC|MEDTAP|FAC|20240101120000||ORU^R01|PY%d|P|2.5|||||||UNICODE UTF-8\rPID|1||%d\rOBX|1|TX|||caf\u00e9 \\T\\ co\r" % (i, i)
        writer.writemessage(hl7.parse(msg))
        await writer.drain()
        ack = await asyncio.wait_for(reader.readmessage(), 10)
        msa = ack.segment("MSA")
        print(str(msa(1)), str(msa(2)), flush=True)
    writer.close()
asyncio.run(main(int(sys.argv[1]), int(sys.argv[2])))
`

// TestPythonClientToServer: python3-hl7's MLLP client sends to our Server;
// every message must reach the handler once and be ACKed with its ID.
func TestPythonClientToServer(t *testing.T) {
	needPythonHL7(t)
	var mu sync.Mutex
	seen := map[string]int{}
	h := mllp.HandlerFunc(func(ctx context.Context, req *mllp.Request) ([]byte, error) {
		v, _ := req.Message.Get("OBX-5")
		if got := string(v.AppendUnescaped(nil)); got != "café & co" {
			return nil, fmt.Errorf("OBX-5 = %q", got)
		}
		mu.Lock()
		seen[req.Message.ControlID().String()]++
		mu.Unlock()
		return nil, nil
	})
	addr := startServer(t, &mllp.Server{Handler: h})
	port := addr[strings.LastIndexByte(addr, ':')+1:]
	const n = 50
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, python, "-c", pyClient, port, fmt.Sprint(n)).CombinedOutput()
	if err != nil {
		t.Fatalf("python client: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != n {
		t.Fatalf("%d ACKs, want %d:\n%s", len(lines), n, out)
	}
	for i, line := range lines {
		if want := fmt.Sprintf("AA PY%d", i); line != want {
			t.Errorf("ACK %d = %q, want %q", i, line, want)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	for i := range n {
		if c := seen[fmt.Sprintf("PY%d", i)]; c != 1 {
			t.Errorf("PY%d handled %d times", i, c)
		}
	}
}

const pyServer = `
import asyncio, sys, hl7, hl7.mllp
async def handle(reader, writer):
    try:
        while not writer.is_closing():
            msg = await reader.readmessage()
            code = "AE" if str(msg.segment("MSH")(10)) == "BAD" else "AA"
            writer.writemessage(msg.create_ack(code, message_id="A" + str(msg.segment("MSH")(10))))
            await writer.drain()
    except asyncio.IncompleteReadError:
        pass
    finally:
        writer.close()
async def main():
    server = await hl7.mllp.start_hl7_server(handle, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await asyncio.sleep(60)
asyncio.run(main())
`

// TestClientToPythonServer: our Client sends to python3-hl7's MLLP server;
// every message must be ACKed and matched.
func TestClientToPythonServer(t *testing.T) {
	needPythonHL7(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "-c", pyServer)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	port, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("python server did not start: %v", err)
	}
	c := &mllp.Client{Addr: "127.0.0.1:" + strings.TrimSpace(port), Timeout: 10 * time.Second}
	defer c.Close()
	for i := range 50 {
		id := fmt.Sprintf("GO%d", i)
		ack, err := c.Send(ctx, testMsg(id))
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if code := ackCode(t, ack); code != "AA" {
			t.Fatalf("%s: %s", id, code)
		}
	}
	if _, err := c.Send(ctx, testMsg("BAD")); err == nil || !strings.Contains(err.Error(), "AE") {
		t.Errorf("AE not reported: %v", err)
	}
}
