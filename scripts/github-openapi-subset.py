#!/usr/bin/env python3
"""Writes tests/fixtures/github-openapi/operations.json: the operations caro-hotfix sends a body to,
as read from github/rest-api-description at the commit named in that directory's SOURCE.md (see it
for the JSON pointers). Run from the repository root: python3 scripts/github-openapi-subset.py"""
import json
ECOS = {"type": "string", "description": "The package's language or package management ecosystem.",
        "enum": ["rubygems", "npm", "pip", "maven", "nuget", "composer", "go", "rust", "erlang", "actions", "pub", "other", "swift"]}
CREDIT_TYPES = {"type": "string", "description": "The type of credit the user is receiving.",
                "enum": ["analyst", "finder", "reporter", "coordinator", "remediation_developer", "remediation_reviewer",
                         "remediation_verifier", "tool", "sponsor", "other"]}
def vuln_items():
    return {"type": "object", "properties": {
        "package": {"description": "The name of the package affected by the vulnerability.", "type": "object",
                    "properties": {"ecosystem": {"$ref": "#/components/schemas/security-advisory-ecosystems"},
                                   "name": {"type": "string", "description": "The unique package name within its ecosystem.", "nullable": True}},
                    "required": ["ecosystem"]},
        "vulnerable_version_range": {"type": "string", "description": "The range of the package versions affected by the vulnerability.", "nullable": True},
        "patched_versions": {"type": "string", "description": "The package version(s) that resolve the vulnerability.", "nullable": True},
        "vulnerable_functions": {"type": "array", "description": "The functions in the package that are affected.", "nullable": True, "items": {"type": "string"}}},
        "required": ["package"], "additionalProperties": False}
def credits():
    return {"type": "array", "description": "A list of users receiving credit for their participation in the security advisory.", "nullable": True,
            "items": {"type": "object", "properties": {"login": {"type": "string", "description": "The username of the user credited."},
                                                       "type": {"$ref": "#/components/schemas/security-advisory-credit-types"}},
                      "required": ["login", "type"], "additionalProperties": False}}
def common():
    return {
        "summary": {"type": "string", "description": "A short summary of the advisory.", "maxLength": 1024},
        "description": {"type": "string", "description": "A detailed description of what the advisory impacts.", "maxLength": 65535},
        "cve_id": {"type": "string", "description": "The Common Vulnerabilities and Exposures (CVE) ID.", "nullable": True},
        "vulnerabilities": {"type": "array", "description": "A product affected by the vulnerability detailed in a repository security advisory.", "items": vuln_items()},
        "cwe_ids": {"type": "array", "description": "A list of Common Weakness Enumeration (CWE) IDs.", "nullable": True, "items": {"type": "string"}},
        "credits": credits(),
        "severity": {"type": "string", "description": "The severity of the advisory. You must choose between setting this field or `cvss_vector_string`.",
                     "nullable": True, "enum": ["critical", "high", "medium", "low"]},
        "cvss_vector_string": {"type": "string", "description": "The CVSS vector that calculates the severity of the advisory. You must choose between setting this field or `severity`.", "nullable": True},
    }
create = {"type": "object", "properties": dict(common(), start_private_fork={
    "type": "boolean", "description": "Whether to create a temporary private fork of the repository to collaborate on a fix.", "default": False}),
    "required": ["summary", "description", "vulnerabilities"], "additionalProperties": False}
update = {"type": "object", "properties": dict(common(),
    state={"type": "string", "description": "The state of the advisory.", "enum": ["published", "closed", "draft"]},
    collaborating_users={"type": "array", "description": "A list of usernames who have been granted write access to the advisory.", "nullable": True, "items": {"type": "string"}},
    collaborating_teams={"type": "array", "description": "A list of team slugs which have been granted write access to the advisory.", "nullable": True, "items": {"type": "string"}}),
    "additionalProperties": False}
release_update = {"type": "object", "properties": {
    "tag_name": {"type": "string", "description": "The name of the tag."},
    "target_commitish": {"type": "string", "description": "Specifies the commitish value that determines where the Git tag is created from. Can be any branch or commit SHA. Unused if the Git tag already exists. Default: the repository's default branch."},
    "name": {"type": "string", "description": "The name of the release."},
    "body": {"type": "string", "description": "Text describing the contents of the tag."},
    "draft": {"type": "boolean", "description": "`true` makes the release a draft, and `false` publishes the release."},
    "prerelease": {"type": "boolean", "description": "`true` to identify the release as a prerelease, `false` to identify the release as a full release."},
    "make_latest": {"type": "string", "description": "Specifies whether this release should be set as the latest release for the repository. Drafts and prereleases cannot be set as latest. Defaults to `true` for newly published releases. `legacy` specifies that the latest release should be determined based on the release creation date and higher semantic version.",
                    "enum": ["true", "false", "legacy"], "default": "true"},
    "discussion_category_name": {"type": "string", "description": "If specified, a discussion of the specified category is created and linked to the release. The value must be a category that already exists in the repository. If there is already a discussion linked to the release, this parameter is ignored. For more information, see \"[Managing categories for discussions in your repository](https://docs.github.com/discussions/managing-discussions-for-your-community/managing-categories-for-discussions-in-your-repository).\""}}}
basic_error = {"title": "Basic Error", "description": "Basic Error", "type": "object", "properties": {
    "message": {"type": "string"}, "documentation_url": {"type": "string"}, "url": {"type": "string"}, "status": {"type": "string"}}}
def err_props(code_desc=None, extra=None, value_items=None):
    code = {"type": "string"}
    if code_desc:
        code["description"] = code_desc
    props = {"resource": {"type": "string"}, "field": {"type": "string"}, "message": {"type": "string"}, "code": code,
             "index": {"type": "integer"},
             "value": {"oneOf": [{"type": "string", "nullable": True}, {"type": "integer", "nullable": True},
                                 {"type": "array", "nullable": True, "items": value_items}]}}
    props.update(extra or {})
    return props
validation_error = {"title": "Validation Error", "description": "Validation Error", "type": "object",
    "required": ["message", "documentation_url"], "properties": {
        "message": {"type": "string"}, "documentation_url": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "required": ["code"],
                   "properties": err_props(value_items={"oneOf": [{"type": "string"}, {"type": "integer"}]})}}}}
advisory_422 = {"title": "Repository Advisory Description Validation Error",
    "description": "The description does not answer the repository's report template.",
    "type": "object", "required": ["message", "documentation_url"], "properties": {
        "message": {"type": "string"}, "documentation_url": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "required": ["code"], "properties": err_props(
            code_desc="A machine-readable identifier for the problem. `missing_section`, `empty_section`, `unchecked_required_option`, and `sections_out_of_order` come from validating the description against the repository's report template; other codes are shared with other validation failures on this endpoint.",
            value_items={"type": "string"},
            extra={"section": {"type": "string", "description": "The report template section the violation concerns."},
                   "option": {"type": "string", "description": "The checkbox option left unticked. Only present when `code` is `unchecked_required_option`."}})}}}}
def js(ref):
    return {"content": {"application/json": {"schema": {"$ref": ref}}}}
doc = {
  "openapi": "3.0.3",
  "info": {"title": "GitHub v3 REST API (the operations caro-hotfix sends a body to)", "version": "1.1.4",
           "license": {"name": "MIT", "url": "https://spdx.org/licenses/MIT"},
           "x-source": {"repository": "https://github.com/github/rest-api-description",
                        "commit": "0000036e42b5e7121c2b1ac244cb7bba1d2f3914",
                        "path": "descriptions/api.github.com/api.github.com.json"},
           "x-not-vendored": {"#/components/schemas/release": "the 200 of repos/update-release: not vendored yet, its response is not checked",
                              "#/components/schemas/repository-advisory": "the 200/201 of the advisory operations: not vendored yet, not checked",
                              "#/components/responses/forbidden": "403: not vendored yet, not checked",
                              "#/components/responses/not_found": "404: not vendored yet, not checked",
                              "#/components/schemas/full-repository": "the 202 of security-advisories/create-fork: not vendored yet, not checked",
                              "#/components/responses/bad_request": "400: not vendored yet, not checked",
                              "#/components/responses/validation_failed": "422: not vendored yet, not checked"}},
  "paths": {
    "/repos/{owner}/{repo}/releases/{release_id}": {"patch": {
        "operationId": "repos/update-release", "x-resource": "Release",
        "externalDocs": {"url": "https://docs.github.com/rest/releases/releases#update-a-release"},
        "requestBody": {"required": False, "content": {"application/json": {"schema": release_update}}},
        "responses": {"200": js("#/components/schemas/release"),
                      "404": dict(description="Not Found if the discussion category name is invalid", **js("#/components/schemas/basic-error"))}}},
    "/repos/{owner}/{repo}/security-advisories": {"post": {
        "operationId": "security-advisories/create-repository-advisory", "x-resource": "RepositoryAdvisory",
        "externalDocs": {"url": "https://docs.github.com/rest/security-advisories/repository-advisories#create-a-repository-security-advisory"},
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/repository-advisory-create"}}}},
        "responses": {"201": js("#/components/schemas/repository-advisory"),
                      "403": {"$ref": "#/components/responses/forbidden"},
                      "404": {"$ref": "#/components/responses/not_found"},
                      "422": dict(description="Validation failed.", **js("#/components/schemas/repository-advisory-description-validation-error"))}}},
    "/repos/{owner}/{repo}/security-advisories/{ghsa_id}": {"patch": {
        "operationId": "security-advisories/update-repository-advisory", "x-resource": "RepositoryAdvisory",
        "externalDocs": {"url": "https://docs.github.com/rest/security-advisories/repository-advisories#update-a-repository-security-advisory"},
        "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/repository-advisory-update"}}}},
        "responses": {"200": js("#/components/schemas/repository-advisory"),
                      "403": {"$ref": "#/components/responses/forbidden"},
                      "404": {"$ref": "#/components/responses/not_found"},
                      "422": dict(description="Validation failed, or the endpoint has been spammed.", **js("#/components/schemas/validation-error"))}}},
    "/repos/{owner}/{repo}/security-advisories/{ghsa_id}/forks": {"post": {
        "operationId": "security-advisories/create-fork", "x-resource": "RepositoryAdvisory",
        "summary": "Create a temporary private fork",
        "description": "Create a temporary private fork to collaborate on fixing a security vulnerability in your repository.\n\n> [!NOTE]\n> Forking a repository happens asynchronously. You may have to wait up to 5 minutes before you can access the fork.",
        "externalDocs": {"url": "https://docs.github.com/rest/security-advisories/repository-advisories#create-a-temporary-private-fork"},
        "responses": {"202": dict(description="Response", **js("#/components/schemas/full-repository")),
                      "400": {"$ref": "#/components/responses/bad_request"},
                      "403": {"$ref": "#/components/responses/forbidden"},
                      "404": {"$ref": "#/components/responses/not_found"},
                      "422": {"$ref": "#/components/responses/validation_failed"}}}},
  },
  "components": {"schemas": {
    "security-advisory-ecosystems": ECOS,
    "security-advisory-credit-types": CREDIT_TYPES,
    "repository-advisory-create": create,
    "repository-advisory-update": update,
    "repository-advisory-description-validation-error": advisory_422,
    "validation-error": validation_error,
    "basic-error": basic_error,
  }},
}
json.dump(doc, open("tests/fixtures/github-openapi/operations.json", "w"), indent=2, ensure_ascii=False)
open("tests/fixtures/github-openapi/operations.json", "a").write("\n")
