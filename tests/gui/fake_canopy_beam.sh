#!/bin/sh
# Stands in for canopy-beam in the app's tests (CANOPY_BEAM=this script): where canopy-beam would
# serve an Erlang node's tree, it serves canopy-demo's Todo system ($CANOPY_FAKE_BEAM_DEMO) on the
# port file and token file the app's BeamBridge gives it. Arguments as canopy-beam's: NODE [--opt value]...
node=$1
shift
while [ $# -gt 0 ]; do
    case $1 in
        --port-file) port_file=$2; shift 2 ;;
        --token-file) token_file=$2; shift 2 ;;
        --*) shift 2 ;;
        *) shift ;;
    esac
done
case $node in
    *@*) ;;
    *) echo "canopy-beam: bad node name '$node' (expected name@host, e.g. todo@localhost)" >&2; exit 2 ;;
esac
case $node in
    nobody@*) echo "canopy-beam: cannot connect to $node: no such node" >&2; exit 3 ;;
esac
exec "$CANOPY_FAKE_BEAM_DEMO" todo --port 0 --port-file "$port_file" --token-file "$token_file"
