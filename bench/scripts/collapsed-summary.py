#!/usr/bin/env python3
# Sums a collapsed-stacks profile (bench/scripts/profile-switch.sh) by thread, or, given a thread name, by frame:
#   collapsed-summary.py FILE              samples per thread
#   collapsed-summary.py FILE THREAD [N]   the N hottest frames of that thread, inclusive and self
import sys, collections, re
f=sys.argv[1]; thread_filter=sys.argv[2] if len(sys.argv)>2 else None
by_thread=collections.Counter(); incl=collections.Counter(); selfc=collections.Counter(); total=0
for line in open(f):
    stack, n = line.rstrip().rsplit(' ',1); n=int(n)
    frames=stack.split(';')
    th=re.sub(r' tid=\d+','',frames[0]).strip('[]'); th=re.sub(r'-\d+$','',th)
    by_thread[th]+=n
    if thread_filter and thread_filter not in th: continue
    total+=n
    seen=set()
    for fr in frames[1:]:
        if fr not in seen: incl[fr]+=n; seen.add(fr)
    selfc[frames[-1]]+=n
if not thread_filter:
    for t,n in by_thread.most_common(15): print(f"{n:8d} {t}")
else:
    print("total",total)
    print("--- inclusive"); 
    for fr,n in incl.most_common(int(sys.argv[3]) if len(sys.argv)>3 else 60): print(f"{100*n/total:6.1f}% {fr}")
    print("--- self")
    for fr,n in selfc.most_common(30): print(f"{100*n/total:6.1f}% {fr}")
