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
# The global Advisory Database (issue 29: `follow-up` reads whether GitHub reviewed the advisory into
# it): `security-advisories/get-global-advisory` and `#/components/schemas/global-advisory` with the
# schemas it references, as at the same commit (`example` values left out).
def s_(desc=None, nullable=False, ro=False, fmt=None, **kw):
    out = {"type": "string"}
    if fmt:
        out["format"] = fmt
    if desc:
        out["description"] = desc
    if nullable:
        out["nullable"] = True
    if ro:
        out["readOnly"] = True
    out.update(kw)
    return out
vulnerability = {"description": "A vulnerability describing the product and its affected versions within a GitHub Security Advisory.",
    "type": "object", "properties": {
        "package": {"description": "The name of the package affected by the vulnerability.", "type": "object", "nullable": True,
                    "properties": {"ecosystem": {"$ref": "#/components/schemas/security-advisory-ecosystems"},
                                   "name": s_("The unique package name within its ecosystem.", nullable=True)},
                    "required": ["ecosystem", "name"]},
        "vulnerable_version_range": s_("The range of the package versions affected by the vulnerability.", nullable=True),
        "first_patched_version": s_("The package version that resolves the vulnerability.", nullable=True),
        "vulnerable_functions": {"type": "array", "description": "The functions in the package that are affected by the vulnerability.",
                                 "nullable": True, "readOnly": True, "items": {"type": "string"}}},
    "required": ["package", "vulnerable_version_range", "first_patched_version", "vulnerable_functions"]}
def cvss_v(n):
    return {"type": "object", "nullable": True, "properties": {
        "vector_string": s_(f"The CVSS {n} vector string.", nullable=True),
        "score": {"type": "number", "description": f"The CVSS {n} score.", "minimum": 0, "maximum": 10, "nullable": True, "readOnly": True}},
        "required": ["vector_string", "score"]}
cvss_severities = {"type": "object", "nullable": True, "properties": {"cvss_v3": cvss_v(3), "cvss_v4": cvss_v(4)}}
epss = {"type": "object", "nullable": True, "readOnly": True,
        "description": "The EPSS scores as calculated by the [Exploit Prediction Scoring System](https://www.first.org/epss).",
        "properties": {"percentage": {"type": "number", "minimum": 0, "maximum": 100},
                       "percentile": {"type": "number", "minimum": 0, "maximum": 100}}}
simple_user = {"title": "Simple User", "description": "A GitHub user.", "type": "object", "properties": dict(
    name={"nullable": True, "type": "string"}, email={"nullable": True, "type": "string"}, login={"type": "string"},
    id={"type": "integer", "format": "int64"}, node_id={"type": "string"}, avatar_url=s_(fmt="uri"),
    gravatar_id={"type": "string", "nullable": True}, url=s_(fmt="uri"), html_url=s_(fmt="uri"), followers_url=s_(fmt="uri"),
    following_url={"type": "string"}, gists_url={"type": "string"}, starred_url={"type": "string"},
    subscriptions_url=s_(fmt="uri"), organizations_url=s_(fmt="uri"), repos_url=s_(fmt="uri"), events_url={"type": "string"},
    received_events_url=s_(fmt="uri"), type={"type": "string"}, site_admin={"type": "boolean"}, starred_at={"type": "string"},
    user_view_type={"type": "string"}),
    "required": ["avatar_url", "events_url", "followers_url", "following_url", "gists_url", "gravatar_id", "html_url", "id",
                 "node_id", "login", "organizations_url", "received_events_url", "repos_url", "site_admin", "starred_url",
                 "subscriptions_url", "type", "url"]}
date = lambda d, nullable=False: s_(d, nullable=nullable, ro=True, fmt="date-time")
global_advisory = {"description": "A GitHub Security Advisory.", "type": "object", "properties": {
    "ghsa_id": s_("The GitHub Security Advisory ID.", ro=True),
    "cve_id": s_("The Common Vulnerabilities and Exposures (CVE) ID.", nullable=True, ro=True),
    "url": s_("The API URL for the advisory.", ro=True),
    "html_url": s_("The URL for the advisory.", ro=True, fmt="uri"),
    "repository_advisory_url": s_("The API URL for the repository advisory.", nullable=True, ro=True, fmt="uri"),
    "summary": s_("A short summary of the advisory.", maxLength=1024),
    "description": s_("A detailed description of what the advisory entails.", nullable=True, maxLength=65535),
    "type": s_("The type of advisory.", ro=True, enum=["reviewed", "unreviewed", "malware"]),
    "severity": s_("The severity of the advisory.", enum=["critical", "high", "medium", "low", "unknown"]),
    "source_code_location": s_("The URL of the advisory's source code.", nullable=True, fmt="uri"),
    "identifiers": {"type": "array", "nullable": True, "readOnly": True, "items": {"type": "object", "properties": {
        "type": s_("The type of identifier.", enum=["CVE", "GHSA"]), "value": s_("The identifier value.")},
        "required": ["type", "value"]}},
    "references": {"type": "array", "nullable": True, "items": s_("URLs with more information regarding the advisory.")},
    "published_at": date("The date and time of when the advisory was published, in ISO 8601 format."),
    "updated_at": date("The date and time of when the advisory was last updated, in ISO 8601 format."),
    "github_reviewed_at": date("The date and time of when the advisory was reviewed by GitHub, in ISO 8601 format.", True),
    "nvd_published_at": date("The date and time when the advisory was published in the National Vulnerability Database, in ISO 8601 format.\nThis field is only populated when the advisory is imported from the National Vulnerability Database.", True),
    "withdrawn_at": date("The date and time of when the advisory was withdrawn, in ISO 8601 format.", True),
    "vulnerabilities": {"type": "array", "description": "The products and respective version ranges affected by the advisory.", "nullable": True,
                        "items": {"$ref": "#/components/schemas/vulnerability"}},
    "cvss": {"type": "object", "nullable": True, "properties": {
        "vector_string": s_("The CVSS vector.", nullable=True),
        "score": {"type": "number", "description": "The CVSS score.", "minimum": 0, "maximum": 10, "nullable": True, "readOnly": True}},
        "required": ["vector_string", "score"]},
    "cvss_severities": {"$ref": "#/components/schemas/cvss-severities"},
    "epss": {"$ref": "#/components/schemas/security-advisory-epss"},
    "cwes": {"type": "array", "nullable": True, "items": {"type": "object", "properties": {
        "cwe_id": s_("The Common Weakness Enumeration (CWE) identifier."), "name": s_("The name of the CWE.", ro=True)},
        "required": ["cwe_id", "name"]}},
    "credits": {"type": "array", "description": "The users who contributed to the advisory.", "nullable": True, "readOnly": True,
                "items": {"type": "object", "properties": {"user": {"$ref": "#/components/schemas/simple-user"},
                                                           "type": {"$ref": "#/components/schemas/security-advisory-credit-types"}},
                          "required": ["user", "type"]}}},
    "required": ["ghsa_id", "cve_id", "url", "html_url", "repository_advisory_url", "summary", "description", "type", "severity",
                 "source_code_location", "identifiers", "references", "published_at", "updated_at", "github_reviewed_at",
                 "nvd_published_at", "withdrawn_at", "vulnerabilities", "cvss", "cwes", "credits"],
    "additionalProperties": False}
# The answer of the advisory operations (issue 25): `#/components/schemas/repository-advisory` with
# the schemas it references, as at the same commit (read at offsets 5 180 000-5 188 000 of the file;
# `x-github-breaking-changes` not kept). `team` and `simple-repository` are not vendored: the
# `collaborating_teams[]` items and `private_fork` are not checked.
advisory_vulnerability = {"description": "A product affected by the vulnerability detailed in a repository security advisory.",
    "type": "object", "properties": {
        "package": {"description": "The name of the package affected by the vulnerability.", "type": "object", "nullable": True,
                    "properties": {"ecosystem": {"$ref": "#/components/schemas/security-advisory-ecosystems"},
                                   "name": s_("The unique package name within its ecosystem.", nullable=True)},
                    "required": ["ecosystem", "name"]},
        "vulnerable_version_range": s_("The range of the package versions affected by the vulnerability.", nullable=True),
        "patched_versions": s_("The package version(s) that resolve the vulnerability.", nullable=True),
        "vulnerable_functions": {"type": "array", "description": "The functions in the package that are affected.", "nullable": True,
                                 "items": {"type": "string"}}},
    "required": ["package", "vulnerable_version_range", "patched_versions", "vulnerable_functions"],
    "additionalProperties": False}
advisory_credit = {"description": "A credit given to a user for a repository security advisory.", "type": "object", "properties": {
        "user": {"$ref": "#/components/schemas/simple-user"},
        "type": {"$ref": "#/components/schemas/security-advisory-credit-types"},
        "state": s_("The state of the user's acceptance of the credit.", enum=["accepted", "declined", "pending"])},
    "required": ["user", "type", "state"], "additionalProperties": False}
def user_of(desc):
    return {"readOnly": True, "nullable": True, "description": desc, "allOf": [{"$ref": "#/components/schemas/simple-user"}]}
def date_n(d):
    return {"type": "string", "format": "date-time", "description": d, "readOnly": True, "nullable": True}
repository_advisory = {"description": "A repository security advisory.", "type": "object", "properties": {
    "ghsa_id": s_("The GitHub Security Advisory ID.", ro=True),
    "cve_id": s_("The Common Vulnerabilities and Exposures (CVE) ID.", nullable=True),
    "url": {"type": "string", "format": "uri", "description": "The API URL for the advisory.", "readOnly": True},
    "html_url": {"type": "string", "format": "uri", "description": "The URL for the advisory.", "readOnly": True},
    "summary": s_("A short summary of the advisory.", maxLength=1024),
    "description": {"type": "string", "description": "A detailed description of what the advisory entails.", "maxLength": 65535, "nullable": True},
    "severity": s_("The severity of the advisory.", nullable=True, enum=["critical", "high", "medium", "low"]),
    "author": user_of("The author of the advisory."),
    "publisher": user_of("The publisher of the advisory."),
    "identifiers": {"type": "array", "items": {"type": "object", "properties": {
        "type": s_("The type of identifier.", enum=["CVE", "GHSA"]), "value": s_("The identifier value.")},
        "required": ["type", "value"]}, "readOnly": True},
    "state": s_("The state of the advisory.", enum=["published", "closed", "withdrawn", "draft", "triage"]),
    "created_at": date_n("The date and time of when the advisory was created, in ISO 8601 format."),
    "updated_at": date_n("The date and time of when the advisory was last updated, in ISO 8601 format."),
    "published_at": date_n("The date and time of when the advisory was published, in ISO 8601 format."),
    "closed_at": date_n("The date and time of when the advisory was closed, in ISO 8601 format."),
    "withdrawn_at": date_n("The date and time of when the advisory was withdrawn, in ISO 8601 format."),
    "submission": {"type": "object", "nullable": True, "readOnly": True, "properties": {
        "accepted": {"type": "boolean", "description": "Whether a private vulnerability report was accepted by the repository's administrators.", "readOnly": True}},
        "required": ["accepted"]},
    "vulnerabilities": {"type": "array", "nullable": True, "items": {"$ref": "#/components/schemas/repository-advisory-vulnerability"}},
    "cvss": {"type": "object", "nullable": True, "properties": {
        "vector_string": s_("The CVSS vector.", nullable=True),
        "score": {"type": "number", "description": "The CVSS score.", "minimum": 0, "maximum": 10, "nullable": True, "readOnly": True}},
        "required": ["vector_string", "score"]},
    "cvss_severities": {"$ref": "#/components/schemas/cvss-severities"},
    "cwes": {"type": "array", "nullable": True, "items": {"type": "object", "properties": {
        "cwe_id": s_("The Common Weakness Enumeration (CWE) identifier."), "name": s_("The name of the CWE.", ro=True)},
        "required": ["cwe_id", "name"]}, "readOnly": True},
    "cwe_ids": {"type": "array", "description": "A list of only the CWE IDs.", "nullable": True, "items": {"type": "string"}},
    "credits": {"type": "array", "nullable": True, "items": {"type": "object", "properties": {
        "login": s_("The username of the user credited."), "type": {"$ref": "#/components/schemas/security-advisory-credit-types"}}}},
    "credits_detailed": {"type": "array", "nullable": True, "items": {"$ref": "#/components/schemas/repository-advisory-credit"}, "readOnly": True},
    "collaborating_users": {"type": "array", "description": "A list of users that collaborate on the advisory.", "nullable": True,
                            "items": {"$ref": "#/components/schemas/simple-user"}},
    "collaborating_teams": {"type": "array", "description": "A list of teams that collaborate on the advisory.", "nullable": True,
                            "items": {"$ref": "#/components/schemas/team"}},
    "private_fork": {"readOnly": True, "nullable": True, "description": "A temporary private fork of the advisory's repository for collaborating on a fix.",
                     "allOf": [{"$ref": "#/components/schemas/simple-repository"}]}},
    "required": ["ghsa_id", "cve_id", "url", "html_url", "summary", "description", "severity", "author", "publisher", "identifiers",
                 "state", "created_at", "updated_at", "published_at", "closed_at", "withdrawn_at", "submission", "vulnerabilities",
                 "cvss", "cwes", "cwe_ids", "credits", "credits_detailed", "collaborating_users", "collaborating_teams", "private_fork"],
    "additionalProperties": False}
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
                              "#/components/schemas/team": "collaborating_teams[] of repository-advisory: not vendored, not checked",
                              "#/components/schemas/simple-repository": "private_fork of repository-advisory: not vendored, not checked",
                              "#/components/responses/forbidden": "403: not vendored yet, not checked",
                              "#/components/responses/not_found": "404: not vendored yet, not checked",
                              "#/components/schemas/full-repository": "the 202 of security-advisories/create-fork: not vendored yet, not checked",
                              "#/components/responses/bad_request": "400: not vendored yet, not checked",
                              "#/components/responses/validation_failed": "422: not vendored yet, not checked"}},
  "paths": {
    "/advisories/{ghsa_id}": {"get": {
        "operationId": "security-advisories/get-global-advisory",
        "externalDocs": {"url": "https://docs.github.com/rest/security-advisories/global-advisories#get-a-global-security-advisory"},
        "responses": {"200": js("#/components/schemas/global-advisory"),
                      "404": {"$ref": "#/components/responses/not_found"}}}},
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
    "global-advisory": global_advisory,
    "vulnerability": vulnerability,
    "cvss-severities": cvss_severities,
    "security-advisory-epss": epss,
    "simple-user": simple_user,
    "repository-advisory": repository_advisory,
    "repository-advisory-vulnerability": advisory_vulnerability,
    "repository-advisory-credit": advisory_credit,
  }},
}
json.dump(doc, open("tests/fixtures/github-openapi/operations.json", "w"), indent=2, ensure_ascii=False)
open("tests/fixtures/github-openapi/operations.json", "a").write("\n")
