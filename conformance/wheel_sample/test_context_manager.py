"""glue_local.server() outside the fixture: an IAM config, signed clients and a signed reset."""

import json

import glue_local
import pytest


def test_server_with_an_iam_config(tmp_path):
    iam = tmp_path / "iam.json"
    admin = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["glue:*", "glue-local:Reset"], "Resource": "*"}]}
    iam.write_text(json.dumps({"principals": [
        {"arn": "arn:aws:iam::111122223333:user/tester", "accessKeyId": "AKIATESTER0000000001",
         "secretAccessKey": "tester-secret", "policies": [admin]},
    ]}))
    with glue_local.server(iam_config=iam, region="eu-west-1") as gl:
        glue = gl.client()
        glue.create_workflow(Name="W1")
        assert [w for w in glue.list_workflows()["Workflows"]] == ["W1"]
        stranger = gl.client(aws_access_key_id="AKIASTRANGER00000001", aws_secret_access_key="x")
        with pytest.raises(stranger.exceptions.ClientError) as refused:
            stranger.list_workflows()
        assert refused.value.response["Error"]["Code"] == "UnrecognizedClientException"
        gl.reset()
        assert glue.list_workflows()["Workflows"] == []
        process = gl.process
    assert process.poll() is not None, "the server is stopped when the block ends"


def test_a_server_that_cannot_start_says_why(tmp_path):
    with pytest.raises(glue_local.GlueLocalError, match="scripts-dir"):
        with glue_local.server(scripts_dirs=[tmp_path / "missing"]):
            pass
