package deployed

import (
	"path"
	"strings"
	"unicode/utf8"
)

// FromImage is the image of one Dockerfile FROM instruction.
type FromImage struct {
	Line, Column int    // where the image is written
	Raw          string // as written
	Image        string // the build args substituted from their defaults
}

// IsDockerfile reports whether a file name is a Dockerfile's: Dockerfile,
// Containerfile, Dockerfile.NAME, NAME.Dockerfile (any case).
func IsDockerfile(name string) bool {
	base := strings.ToLower(path.Base(name))
	return base == "dockerfile" || base == "containerfile" || strings.HasPrefix(base, "dockerfile.") ||
		strings.HasPrefix(base, "containerfile.") || strings.HasSuffix(base, ".dockerfile") || strings.HasSuffix(base, ".containerfile")
}

// logical is one instruction: its text with continuations joined, and for
// each piece the physical line and column where it starts.
type logical struct {
	text   string
	pieces []piece
}

type piece struct {
	off, line, col int // logical offset, physical 1-based line and column
}

func (l *logical) at(off int) (int, int) {
	p := l.pieces[0]
	for _, q := range l.pieces[1:] {
		if q.off > off {
			break
		}
		p = q
	}
	return p.line, p.col + utf8.RuneCountInString(l.text[p.off:off])
}

// instructions splits a Dockerfile into instructions: comment lines are
// dropped, a line ending in the escape character (\, or ` after a
// "# escape=`" directive) continues on the next one.
func instructions(data []byte) []logical {
	src := strings.ReplaceAll(string(data), "\r\n", "\n")
	lines := strings.Split(src, "\n")
	escape := byte('\\')
	var out []logical
	var cur *logical
	directives := true
	for i, line := range lines {
		trimmed := strings.TrimLeft(line, " \t")
		if strings.HasPrefix(trimmed, "#") {
			if directives && cur == nil {
				d := strings.TrimSpace(strings.TrimPrefix(trimmed, "#"))
				if k, v, ok := strings.Cut(d, "="); ok && strings.EqualFold(strings.TrimSpace(k), "escape") {
					if v = strings.TrimSpace(v); v == "`" {
						escape = '`'
					}
				}
			}
			continue // comments, also inside a continuation
		}
		directives = false
		if cur == nil {
			if trimmed == "" {
				continue
			}
			cur = &logical{}
		}
		startCol := utf8.RuneCountInString(line[:len(line)-len(trimmed)]) + 1
		text := trimmed
		if cur.text != "" {
			cur.text += " "
		}
		cont := false
		if t := strings.TrimRight(text, " \t"); len(t) > 0 && t[len(t)-1] == escape {
			text, cont = t[:len(t)-1], true
		}
		cur.pieces = append(cur.pieces, piece{off: len(cur.text), line: i + 1, col: startCol})
		cur.text += text
		if !cont {
			out = append(out, *cur)
			cur = nil
		}
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out
}

// field is a word of an instruction and its logical offset.
type field struct {
	text string
	off  int
}

func fields(s string) []field {
	var out []field
	i := 0
	for i < len(s) {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		start := i
		for i < len(s) && s[i] != ' ' && s[i] != '\t' {
			i++
		}
		if i > start {
			out = append(out, field{s[start:i], start})
		}
	}
	return out
}

// DockerfileImages returns the images of a Dockerfile's FROM instructions,
// with the ARGs declared before the first FROM substituted from their
// defaults (the only build args FROM can use). A FROM of an earlier stage
// and FROM scratch are left out.
func DockerfileImages(data []byte) []FromImage {
	args := map[string]string{}
	stages := map[string]bool{}
	seenFrom := false
	var out []FromImage
	for _, ins := range instructions(data) {
		fs := fields(ins.text)
		if len(fs) == 0 {
			continue
		}
		switch strings.ToUpper(fs[0].text) {
		case "ARG":
			if seenFrom {
				continue
			}
			for _, f := range fs[1:] {
				name, def, ok := strings.Cut(f.text, "=")
				if !ok {
					if _, set := args[name]; !set {
						args[name] = ""
					}
					continue
				}
				args[name] = unquoteArg(substitute(def, args))
			}
		case "FROM":
			seenFrom = true
			rest := fs[1:]
			for len(rest) > 0 && strings.HasPrefix(rest[0].text, "--") {
				rest = rest[1:]
			}
			if len(rest) == 0 {
				continue
			}
			img := rest[0]
			image := substitute(img.text, args)
			if !stages[strings.ToLower(image)] && !strings.EqualFold(image, "scratch") {
				line, col := ins.at(img.off)
				out = append(out, FromImage{Line: line, Column: col, Raw: img.text, Image: image})
			}
			if len(rest) >= 3 && strings.EqualFold(rest[1].text, "as") {
				stages[strings.ToLower(rest[2].text)] = true
			}
		}
	}
	return out
}

func unquoteArg(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// maxExpansion bounds what substitution may produce from one word.
const maxExpansion = 4096

// substitute expands $NAME, ${NAME}, ${NAME:-word}, ${NAME-word},
// ${NAME:+word} and ${NAME+word} from args; an unknown name is empty, \$ is
// a literal $.
func substitute(s string, args map[string]string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s) && b.Len() <= maxExpansion; i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) && s[i+1] == '$' {
			b.WriteByte('$')
			i++
			continue
		}
		if c != '$' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		if s[i+1] == '{' {
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				b.WriteString(s[i:])
				break
			}
			expr := s[i+2 : i+2+end]
			i += 2 + end
			b.WriteString(expand(expr, args))
			continue
		}
		j := i + 1
		for j < len(s) && (s[j] == '_' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		if j == i+1 {
			b.WriteByte(c)
			continue
		}
		b.WriteString(args[s[i+1:j]])
		i = j - 1
	}
	out := b.String()
	if len(out) > maxExpansion {
		out = out[:maxExpansion]
	}
	return out
}

func expand(expr string, args map[string]string) string {
	for _, op := range []string{":-", ":+", "-", "+"} {
		name, word, ok := strings.Cut(expr, op)
		if !ok || strings.ContainsAny(name, ":-+") {
			continue
		}
		v, set := args[name]
		switch op {
		case ":-":
			if v == "" {
				return word
			}
			return v
		case "-":
			if !set {
				return word
			}
			return v
		case ":+":
			if v != "" {
				return word
			}
			return ""
		case "+":
			if set {
				return word
			}
			return ""
		}
	}
	return args[expr]
}
