"""The one list of Glue operations that glue-local implements.

Everything in the conformance suite that iterates "all operations" (the
bad-input generator, coverage checks) reads this list; add an operation here
when the server implements it.
"""

IMPLEMENTED_OPERATIONS = (
    # Workflows and workflow runs
    "CreateWorkflow",
    "GetWorkflow",
    "UpdateWorkflow",
    "DeleteWorkflow",
    "ListWorkflows",
    "BatchGetWorkflows",
    "StartWorkflowRun",
    "StopWorkflowRun",
    "GetWorkflowRun",
    "GetWorkflowRuns",
    "ResumeWorkflowRun",
    "GetWorkflowRunProperties",
    "PutWorkflowRunProperties",
    # Jobs and job runs
    "CreateJob",
    "GetJob",
    "UpdateJob",
    "DeleteJob",
    "GetJobs",
    "ListJobs",
    "BatchGetJobs",
    "StartJobRun",
    "GetJobRun",
    "GetJobRuns",
    "BatchStopJobRun",
    # Triggers
    "CreateTrigger",
    "GetTrigger",
    "GetTriggers",
    "UpdateTrigger",
    "DeleteTrigger",
    "ListTriggers",
    "BatchGetTriggers",
    "StartTrigger",
    "StopTrigger",
    # Crawlers
    "CreateCrawler",
    "GetCrawler",
    "GetCrawlers",
    "UpdateCrawler",
    "DeleteCrawler",
    "ListCrawlers",
    "BatchGetCrawlers",
    "StartCrawler",
    "StopCrawler",
    "ListCrawls",
    "GetCrawlerMetrics",
    # Tags
    "TagResource",
    "UntagResource",
    "GetTags",
)

assert len(set(IMPLEMENTED_OPERATIONS)) == len(IMPLEMENTED_OPERATIONS)

if __name__ == "__main__":
    print("\n".join(IMPLEMENTED_OPERATIONS))
