"""``wayhome bench``: takes the built index; gives speed figures against the naive path measured in the
same run (cold ``ask``, warm REPL, throughput, memory, scale), each with its target and PASS/FAIL.
"""
