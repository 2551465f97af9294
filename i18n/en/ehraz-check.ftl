# Messages of the ehraz-check command-line tool.

check-usage =
    ehraz-check: checks identity fields the way the Ehraz app does.

    Usage:
      ehraz-check [--lang fa|en] <kind> <value>   checks one value
      ehraz-check [--lang fa|en] flow <name>      lists the steps of a flow
      ehraz-check [--lang fa|en]                  checks each input line, written "kind value"

    Kinds: { $kinds }
    Flows: { $flows }
check-valid = ✓ valid: { $value }
check-operator = operator: { $operator }
check-invalid = ✗ { $reason }
check-unknown-kind = Kind “{ $kind }” is not known. Kinds: { $kinds }
check-unknown-flow = Flow “{ $flow }” is not known. Flows: { $flows }
check-bad-arguments = The command-line arguments are not right: { $detail }
check-prompt = Type a kind and a value (e.g. “national-code 0499370899”); Ctrl+D to finish.
check-flow-heading = Flow { $flow }, version { $version }:
check-flow-step = { $number }. { $title }
check-flow-branch = (only when “{ $field }” is “{ $option }”)
