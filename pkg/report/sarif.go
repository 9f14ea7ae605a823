package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// SARIF 2.1.0 is written with the small typed structs below rather than
// github.com/owenrumney/go-sarif/v2 (v2.3.3): that module encodes a
// suppression's unset status, location and guid as null, and an invocation's
// unset executionSuccessful as null, all of which the SARIF schema rejects
// (status is an enum, location an object, guid a string, executionSuccessful
// a boolean). We need only a dozen fields; owning them keeps the output exact.

const (
	sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion   = "2.1.0"
	// sarifMaxResults is how many results GitHub code scanning accepts in one
	// run; SARIF keeps the most severe and says how many it left out.
	sarifMaxResults = 25000
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations,omitempty"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name,omitempty"`
	ShortDescription     sarifMessage       `json:"shortDescription"`
	FullDescription      *sarifMessage      `json:"fullDescription,omitempty"`
	HelpURI              string             `json:"helpUri,omitempty"`
	Help                 *sarifMessage      `json:"help,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	SecuritySeverity string   `json:"security-severity"`
	Tags             []string `json:"tags"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           sarifRegion           `json:"region"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level          string        `json:"level"`
	Message        sarifMessage  `json:"message"`
	AssociatedRule *sarifRuleRef `json:"associatedRule,omitempty"`
}

type sarifRuleRef struct {
	ID    string `json:"id"`
	Index int    `json:"index"`
}

// SARIF writes a SARIF 2.1.0 log that github/codeql-action/upload-sarif
// accepts: one run whose driver lists every rule of the catalog (in id order,
// so that ruleIndex is stable), and one result per finding, most severe first.
// Suppressed findings carry an external, accepted suppression. Above 25,000
// findings (what code scanning accepts in one run) the least severe are left
// out, suppressed ones before any active one, and a run notification says
// how many. A finding
// without a file cannot be an alert: it becomes a notification too.
func SARIF(w io.Writer, r *Report, o Options) error {
	run, p := planSARIF(r, o, sarifMaxResults)
	// the log streams like the JSON report: everything but the results
	// through the encoder, each result appended on its own (appendSARIFResult)
	// into one reused buffer, so a 25,000-result log is never held whole
	j := &jsonStream{w: bufio.NewWriterSize(w, 64<<10)}
	j.enc = json.NewEncoder(&j.buf)
	j.enc.SetEscapeHTML(false)
	j.enc.SetIndent("      ", "  ")
	j.str("{\n  \"$schema\": ")
	j.str(string(appendJSONString(nil, sarifSchemaURI)))
	j.str(",\n  \"version\": ")
	j.str(string(appendJSONString(nil, sarifVersion)))
	j.str(",\n  \"runs\": [\n    {\n      \"tool\": ")
	j.value(run.Tool)
	if len(run.Invocations) > 0 {
		j.str(",\n      \"invocations\": ")
		j.value(run.Invocations)
	}
	j.str(",\n      \"results\": ")
	if len(p.order) == 0 {
		j.str("[]")
	} else {
		j.str("[")
		prints := map[string]string{}
		for k := range p.order {
			if j.err != nil {
				break
			}
			res := p.result(r, k, prints)
			b := j.w.AvailableBuffer()
			if k > 0 {
				b = append(b, ',')
			}
			b = append(b, "\n        "...)
			_, j.err = j.w.Write(appendSARIFResult(b, &res))
		}
		j.str("\n      ]")
	}
	j.str("\n    }\n  ]\n}\n")
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}

// sarifPlan is which findings a log reports, in order, with the index of
// each one's rule descriptor and its fingerprint.
type sarifPlan struct {
	order     []int // indexes into the report's findings
	ruleIndex []int // per entry of order
	prints    []string
}

// planSARIF makes the run without its results (every descriptor, unknown
// rules' included, is known before any result is written) and the plan of
// the results.
func planSARIF(r *Report, o Options, maxResults int) (sarifRun, sarifPlan) {
	catalog := rules.All()
	ruleIndex := make(map[string]int, len(catalog))
	descriptors := make([]sarifRule, 0, len(catalog))
	for _, rule := range catalog {
		ruleIndex[rule.ID.String()] = len(descriptors)
		descriptors = append(descriptors, sarifRuleFor(rule))
	}
	// A rule the catalog does not know still needs a descriptor for its
	// results to point at; it is added once, after the catalog.
	indexOf := func(id string) int {
		if i, ok := ruleIndex[id]; ok {
			return i
		}
		ruleIndex[id] = len(descriptors)
		descriptors = append(descriptors, sarifRule{
			ID:                   id,
			ShortDescription:     sarifMessage{Text: id},
			DefaultConfiguration: sarifConfiguration{Level: "warning"},
			Properties:           sarifRuleProps{SecuritySeverity: securitySeverity(finding.Warning), Tags: []string{"upgradegate"}},
		})
		return ruleIndex[id]
	}

	p := sarifPlan{prints: fingerprints(r.Findings, sarifFingerprintKey)}
	var notes []sarifNotification
	for i, f := range r.Findings {
		if f.Severity <= finding.Off {
			continue // never reported
		}
		if f.File == "" {
			notes = append(notes, sarifNotification{
				Level:          sarifLevel(f.Severity),
				Message:        sarifMessage{Text: fmt.Sprintf("%s: %s", f.Rule, findingText(f))},
				AssociatedRule: &sarifRuleRef{ID: f.Rule.String(), Index: indexOf(f.Rule.String())},
			})
			continue
		}
		p.order = append(p.order, i)
	}
	sort.SliceStable(p.order, func(a, b int) bool {
		fa, fb := &r.Findings[p.order[a]], &r.Findings[p.order[b]]
		if fa.Suppressed != fb.Suppressed {
			return !fa.Suppressed
		}
		return fa.Severity > fb.Severity
	})
	if dropped := len(p.order) - maxResults; dropped > 0 {
		notes = append(notes, sarifNotification{
			Level: "warning",
			Message: sarifMessage{Text: fmt.Sprintf(
				"%d of %d findings were left out: GitHub code scanning accepts at most %d results per run, so the most severe were kept; the json format lists them all",
				dropped, len(p.order), maxResults)},
		})
		p.order = p.order[:maxResults]
	}
	p.ruleIndex = make([]int, len(p.order))
	for k, i := range p.order {
		p.ruleIndex[k] = indexOf(r.Findings[i].Rule.String())
	}

	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "upgradegate",
			InformationURI: rules.RepositoryURL,
			Version:        o.ToolVersion,
			Rules:          descriptors,
		}},
	}
	if len(notes) > 0 {
		run.Invocations = []sarifInvocation{{ExecutionSuccessful: true, ToolExecutionNotifications: notes}}
	}
	return run, p
}

// result is the k-th result of the plan. prints, when not nil, is a map to
// reuse for its partialFingerprints (the streaming writer's, emptied here).
func (p *sarifPlan) result(r *Report, k int, prints map[string]string) sarifResult {
	i := p.order[k]
	f := &r.Findings[i]
	if prints == nil {
		prints = map[string]string{}
	} else {
		clear(prints)
	}
	prints[sarifFingerprintKey] = p.prints[i]
	res := sarifResult{
		RuleID:    f.Rule.String(),
		RuleIndex: p.ruleIndex[k],
		Level:     sarifLevel(f.Severity),
		Message:   sarifMessage{Text: findingText(*f)},
		Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
			ArtifactLocation: sarifArtifactLocation{URI: sarifURI(f.File)},
			Region:           sarifRegion{StartLine: max(f.Line, 1), StartColumn: max(f.Column, 1)},
		}}},
		PartialFingerprints: prints,
	}
	if f.Suppressed {
		why := f.SuppressedBy
		if why == "" {
			why = "suppressed by an approved exception"
		}
		res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: why}}
	}
	return res
}

// appendSARIFResult appends a result as the encoder writes an element of
// the run's results (SetIndent("", "  "): the element at depth 4, its
// fields at 5), without the leading newline and indent.
func appendSARIFResult(b []byte, res *sarifResult) []byte {
	nl := func(b []byte, depth int) []byte {
		b = append(b, '\n')
		for range depth {
			b = append(b, "  "...)
		}
		return b
	}
	field := func(b []byte, depth int, name string, first bool) []byte {
		if !first {
			b = append(b, ',')
		}
		b = nl(b, depth)
		b = appendJSONString(b, name)
		return append(b, ": "...)
	}
	b = append(b, '{')
	b = appendJSONString(field(b, 5, "ruleId", true), res.RuleID)
	b = strconv.AppendInt(field(b, 5, "ruleIndex", false), int64(res.RuleIndex), 10)
	b = appendJSONString(field(b, 5, "level", false), res.Level)
	b = append(field(b, 5, "message", false), '{')
	b = appendJSONString(field(b, 6, "text", true), res.Message.Text)
	if res.Message.Markdown != "" {
		b = appendJSONString(field(b, 6, "markdown", false), res.Message.Markdown)
	}
	b = append(nl(b, 5), '}')
	b = field(b, 5, "locations", false)
	switch {
	case res.Locations == nil:
		b = append(b, "null"...)
	case len(res.Locations) == 0:
		b = append(b, "[]"...)
	default:
		b = append(b, '[')
		for i, l := range res.Locations {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(nl(b, 6), '{')
			b = append(field(b, 7, "physicalLocation", true), '{')
			b = append(field(b, 8, "artifactLocation", true), '{')
			b = appendJSONString(field(b, 9, "uri", true), l.PhysicalLocation.ArtifactLocation.URI)
			b = append(nl(b, 8), '}')
			b = append(field(b, 8, "region", false), '{')
			b = strconv.AppendInt(field(b, 9, "startLine", true), int64(l.PhysicalLocation.Region.StartLine), 10)
			b = strconv.AppendInt(field(b, 9, "startColumn", false), int64(l.PhysicalLocation.Region.StartColumn), 10)
			b = append(nl(b, 8), '}')
			b = append(nl(b, 7), '}')
			b = append(nl(b, 6), '}')
		}
		b = append(nl(b, 5), ']')
	}
	b = field(b, 5, "partialFingerprints", false)
	switch {
	case res.PartialFingerprints == nil:
		b = append(b, "null"...)
	case len(res.PartialFingerprints) == 0:
		b = append(b, "{}"...)
	default:
		keys := make([]string, 0, len(res.PartialFingerprints))
		for k := range res.PartialFingerprints {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b = append(b, '{')
		for i, k := range keys {
			b = appendJSONString(field(b, 6, k, i == 0), res.PartialFingerprints[k])
		}
		b = append(nl(b, 5), '}')
	}
	if len(res.Suppressions) > 0 {
		b = append(field(b, 5, "suppressions", false), '[')
		for i, s := range res.Suppressions {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(nl(b, 6), '{')
			b = appendJSONString(field(b, 7, "kind", true), s.Kind)
			b = appendJSONString(field(b, 7, "status", false), s.Status)
			b = appendJSONString(field(b, 7, "justification", false), s.Justification)
			b = append(nl(b, 6), '}')
		}
		b = append(nl(b, 5), ']')
	}
	return append(nl(b, 4), '}')
}

func sarifRuleFor(rule rules.Rule) sarifRule {
	plainTitle := strings.ReplaceAll(rule.Title, "`", "") // text fields are not Markdown
	return sarifRule{
		ID:               rule.ID.String(),
		Name:             rule.Name(),
		ShortDescription: sarifMessage{Text: plainTitle},
		FullDescription:  &sarifMessage{Text: plainTitle + ". " + rule.Help},
		HelpURI:          rule.HelpURI(),
		Help: &sarifMessage{
			Text:     rule.HelpText(),
			Markdown: rule.HelpMarkdown() + fmt.Sprintf("\n[%s in docs/rules.md](%s)\n", rule.ID, rule.HelpURI()),
		},
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(rule.Severity)},
		Properties: sarifRuleProps{
			SecuritySeverity: securitySeverity(rule.Severity),
			Tags:             []string{"upgradegate", rule.Category()},
		},
	}
}

// securitySeverity is the number GitHub turns into the severity it shows
// next to an alert: 9.0 and up "critical", 7.0 to 8.9 "high", 4.0 to 6.9
// "medium", 0.1 to 3.9 "low". Each of our severities takes the lowest value
// of the band that reads like it: an error (the gate fails) is high, a
// warning medium, a notice low. Nothing is critical: an incomplete upgrade
// plan is a risk to review, not an exploitable vulnerability.
func securitySeverity(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "7.0"
	case finding.Warning:
		return "4.0"
	default:
		return "1.0"
	}
}

func sarifLevel(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "error"
	case finding.Warning:
		return "warning"
	case finding.Notice:
		return "note"
	default:
		return "none"
	}
}

// findingText is the message followed by its hint on a line of its own.
func findingText(f finding.Finding) string {
	if f.Hint == "" {
		return f.Message
	}
	return f.Message + "\nhint: " + f.Hint
}

// sarifURI turns a repository-relative path into a relative URI reference:
// each segment percent-encoded (spaces, '%', '#', '?', non-ASCII), and a ':'
// in the first segment too, where it would read as a scheme.
func sarifURI(file string) string {
	segs := strings.Split(file, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	segs[0] = strings.ReplaceAll(segs[0], ":", "%3A")
	return strings.Join(segs, "/")
}
