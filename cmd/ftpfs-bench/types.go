package main

// role says how a contender's figures are read in the table.
type role int

const (
	roleOurs  role = iota // ftpfs: compared with the best peer and the floor
	rolePeer              // another client: the best of them is the yardstick
	roleFloor             // what the machine does without FTP, in process
)

// contender is one way of doing a workload.
type contender struct {
	Name string
	Role role
	// Prep runs before each run, untimed (removing the previous run's
	// output, say). May be nil.
	Prep func() error
	// Argv returns the process to run against s (the server itself, or a
	// counting proxy in front of it), for contenders that are processes.
	Argv func(s server) (argv, env []string)
	// DiscardStdout sends the process's standard output to /dev/null
	// instead of to Check.
	DiscardStdout bool
	// Run is the timed work of an in-process contender (a floor).
	Run func() error
	// Check runs after each successful run, untimed, with the process's
	// standard output: it verifies the work was done, and may return a
	// note for the table. May be nil.
	Check func(stdout string) (note string, err error)
}

// workload is one task, done by every contender in turn.
type workload struct {
	ID    string // short name, for flags and file names
	Title string
	Bytes int64 // bytes moved by one run, for MB/s (0: no rate in MB/s)
	Files int   // files touched by one run
	Dirs  int   // directories listed by one run
	// Setup runs once before the rounds (seeding the targets of a
	// re-sync, say). May be nil.
	Setup      func() error
	Contenders []*contender
}

// outcome is what a contender scored on a workload.
type outcome struct {
	Contender *contender
	Samples   []sample
	Counts    *commandCounts // through the counting proxy, if measured
}

// workloadResult collects a workload's outcomes on one server.
type workloadResult struct {
	Workload *workload
	Outcomes []*outcome
}

// serverResult collects one server's workloads.
type serverResult struct {
	Server    server
	Workloads []*workloadResult
}
