"""SCHEDULED triggers fire on the real clock while ACTIVATED: a workflow's scheduled start
trigger starts a run, a scheduled trigger outside workflows starts its job, a crawler whose
schedule is SCHEDULED crawls, and a DEACTIVATED trigger and a NOT_SCHEDULED crawler stay quiet.
One minute-long wait covers them all."""


EVERY_MINUTE = "cron(* * * * ? *)"


def test_schedules_fire_on_the_real_clock(glue, unique, wait_until):
    job = unique("job")
    glue.create_job(Name=job, Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"},
                    ExecutionProperty={"MaxConcurrentRuns": 10})
    wf = unique("wf")
    glue.create_workflow(Name=wf)
    glue.create_trigger(Name=unique("start"), WorkflowName=wf, Type="SCHEDULED", Schedule=EVERY_MINUTE,
                        StartOnCreation=True, Actions=[{"JobName": job}])
    standalone = unique("alone")
    glue.create_trigger(Name=standalone, Type="SCHEDULED", Schedule=EVERY_MINUTE, StartOnCreation=True,
                        Actions=[{"JobName": job}])
    quiet_job = unique("quiet")
    glue.create_job(Name=quiet_job, Role="r", Command={"Name": "glueetl", "ScriptLocation": "s3://b/k.py"})
    quiet = unique("off")
    glue.create_trigger(Name=quiet, Type="SCHEDULED", Schedule=EVERY_MINUTE, StartOnCreation=True,
                        Actions=[{"JobName": quiet_job}])
    glue.stop_trigger(Name=quiet)
    assert glue.get_trigger(Name=quiet)["Trigger"]["State"] == "DEACTIVATED"
    crawler = unique("crawler")
    glue.create_crawler(Name=crawler, Role="r", Targets={"S3Targets": [{"Path": "s3://b/p"}]}, Schedule=EVERY_MINUTE)
    assert glue.get_crawler(Name=crawler)["Crawler"]["Schedule"]["ScheduleExpression"] == EVERY_MINUTE
    paused = unique("paused")
    glue.create_crawler(Name=paused, Role="r", Targets={"S3Targets": [{"Path": "s3://b/p"}]}, Schedule=EVERY_MINUTE)
    glue.stop_crawler_schedule(CrawlerName=paused)
    assert glue.get_crawler(Name=paused)["Crawler"]["Schedule"]["State"] == "NOT_SCHEDULED"

    def fired():
        runs = glue.get_workflow_runs(Name=wf).get("Runs", [])
        job_runs = glue.get_job_runs(JobName=job)["JobRuns"]
        crawls = glue.list_crawls(CrawlerName=crawler)["Crawls"]
        by_standalone = [r for r in job_runs if r.get("TriggerName") == standalone]
        return runs and by_standalone and crawls and (runs, by_standalone)

    runs, by_standalone = wait_until(fired, timeout=75, interval=0.5)
    assert runs[0]["Status"] in ("RUNNING", "COMPLETED")
    completed = wait_until(
        lambda: (r := glue.get_workflow_run(Name=wf, RunId=runs[-1]["WorkflowRunId"])["Run"])["Status"] == "COMPLETED" and r
    )
    assert completed["Statistics"]["SucceededActions"] == 1
    assert by_standalone[0]["Attempt"] == 0
    assert glue.get_job_runs(JobName=quiet_job)["JobRuns"] == []
    # Due in the same tick as `crawler`, whose crawl the scheduler started in the same pass.
    assert glue.list_crawls(CrawlerName=paused)["Crawls"] == []
