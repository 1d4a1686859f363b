"""The guide's W1 through AWS_ENDPOINT_URL_GLUE: T1 starts J1; J1's success fires T2 -> J2
and T3 -> J3; theirs fires T4 -> J4 and T5 -> J5. J2 and J3 run scripts/w1/fail.py, so the
run ends COMPLETED with J2, J3 FAILED and J4, J5 not run. Prints the run as one JSON line."""

import json
import os
import time

import boto3

# boto3 >= 1.28 reads AWS_ENDPOINT_URL_GLUE itself; older ones (Debian's) are given it.
glue = boto3.client("glue", endpoint_url=os.environ["AWS_ENDPOINT_URL_GLUE"])


def job(name, script):
    command = {"Name": "pythonshell", "ScriptLocation": f"s3://w1/{script}", "PythonVersion": "3.9"}
    glue.create_job(Name=name, Role="r", Command=command)


def on_success(name, after, then):
    predicate = {"Conditions": [{"LogicalOperator": "EQUALS", "JobName": after, "State": "SUCCEEDED"}]}
    glue.create_trigger(Name=name, WorkflowName="W1", Type="CONDITIONAL", StartOnCreation=True,
                        Predicate=predicate, Actions=[{"JobName": then}])


for name, script in [("J1", "succeed.py"), ("J2", "fail.py"), ("J3", "fail.py"),
                     ("J4", "succeed.py"), ("J5", "succeed.py")]:
    job(name, script)
glue.create_workflow(Name="W1")
glue.create_trigger(Name="T1", WorkflowName="W1", Type="ON_DEMAND", Actions=[{"JobName": "J1"}])
for name, after, then in [("T2", "J1", "J2"), ("T3", "J1", "J3"), ("T4", "J2", "J4"), ("T5", "J3", "J5")]:
    on_success(name, after, then)

run_id = glue.start_workflow_run(Name="W1")["RunId"]
deadline = time.monotonic() + 60
while True:
    run = glue.get_workflow_run(Name="W1", RunId=run_id, IncludeGraph=True)["Run"]
    if run["Status"] != "RUNNING" or time.monotonic() > deadline:
        break
    time.sleep(0.2)
jobs = {n["Name"]: [r["JobRunState"] for r in n.get("JobDetails", {}).get("JobRuns", [])]
        for n in run["Graph"]["Nodes"] if n["Type"] == "JOB"}
print(json.dumps({"RunId": run_id, "Status": run["Status"], "Jobs": jobs}), flush=True)
