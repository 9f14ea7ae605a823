package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"sort"
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
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(buildSARIF(r, o, sarifMaxResults))
}

func buildSARIF(r *Report, o Options, maxResults int) sarifLog {
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

	prints := fingerprints(r.Findings, sarifFingerprintKey)
	var order []int // indexes into r.Findings of the findings to report
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
		order = append(order, i)
	}
	sort.SliceStable(order, func(a, b int) bool {
		fa, fb := r.Findings[order[a]], r.Findings[order[b]]
		if fa.Suppressed != fb.Suppressed {
			return !fa.Suppressed
		}
		return fa.Severity > fb.Severity
	})
	if dropped := len(order) - maxResults; dropped > 0 {
		notes = append(notes, sarifNotification{
			Level: "warning",
			Message: sarifMessage{Text: fmt.Sprintf(
				"%d of %d findings were left out: GitHub code scanning accepts at most %d results per run, so the most severe were kept; the json format lists them all",
				dropped, len(order), maxResults)},
		})
		order = order[:maxResults]
	}

	results := make([]sarifResult, 0, len(order))
	for _, i := range order {
		f := r.Findings[i]
		res := sarifResult{
			RuleID:    f.Rule.String(),
			RuleIndex: indexOf(f.Rule.String()),
			Level:     sarifLevel(f.Severity),
			Message:   sarifMessage{Text: findingText(f)},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: sarifArtifactLocation{URI: sarifURI(f.File)},
				Region:           sarifRegion{StartLine: max(f.Line, 1), StartColumn: max(f.Column, 1)},
			}}},
			PartialFingerprints: map[string]string{sarifFingerprintKey: prints[i]},
		}
		if f.Suppressed {
			why := f.SuppressedBy
			if why == "" {
				why = "suppressed by an approved exception"
			}
			res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: why}}
		}
		results = append(results, res)
	}

	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "upgradegate",
			InformationURI: rules.RepositoryURL,
			Version:        o.ToolVersion,
			Rules:          descriptors,
		}},
		Results: results,
	}
	if len(notes) > 0 {
		run.Invocations = []sarifInvocation{{ExecutionSuccessful: true, ToolExecutionNotifications: notes}}
	}
	return sarifLog{Schema: sarifSchemaURI, Version: sarifVersion, Runs: []sarifRun{run}}
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
