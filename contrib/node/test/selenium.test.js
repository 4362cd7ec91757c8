// Run your Selenium suite locally: selenium-webdriver, given the URL the AWS
// SDK v3 gets from CreateTestGridUrl, drives a headless Chromium through
// `testgrid serve`, which records the session as Device Farm does.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import {
  CreateTestGridProjectCommand,
  CreateTestGridUrlCommand,
  DeviceFarmClient,
  ListTestGridSessionActionsCommand,
  ListTestGridSessionArtifactsCommand,
  ListTestGridSessionsCommand,
} from "@aws-sdk/client-device-farm";
import { Builder, By } from "selenium-webdriver";
import { startServe } from "testgrid-serve";

let server, client;

before(async () => {
  server = await startServe([]); // serve starts /usr/bin/chromedriver
  client = new DeviceFarmClient(server.clientConfig());
});
after(async () => {
  client.destroy();
  await server.stop();
});

test("a checkout page in a local browser", async () => {
  const { testGridProject } = await client.send(new CreateTestGridProjectCommand({ name: "checkout" }));
  const project = testGridProject.arn;
  const { url } = await client.send(new CreateTestGridUrlCommand({ projectArn: project, expiresInSeconds: 300 }));

  const driver = await new Builder().usingServer(url).withCapabilities({ browserName: "chrome", browserVersion: "latest" }).build();
  try {
    await driver.get("data:text/html,<title>checkout</title><input id=card>");
    await driver.findElement(By.id("card")).sendKeys("4242 4242 4242 4242");
    assert.equal(await driver.getTitle(), "checkout");
  } finally {
    await driver.quit();
  }

  // What Device Farm would list: the session, its commands and its log.
  const { testGridSessions } = await client.send(new ListTestGridSessionsCommand({ projectArn: project }));
  assert.equal(testGridSessions.length, 1);
  const [session] = testGridSessions;
  assert.equal(session.status, "CLOSED");
  assert.equal(JSON.parse(session.seleniumProperties).browserVersion, "latest");
  const { actions } = await client.send(new ListTestGridSessionActionsCommand({ sessionArn: session.arn }));
  assert.ok(actions.some((a) => a.action === "POST /session/{sessionId}/url" && a.statusCode === "200"));
  const { artifacts } = await client.send(new ListTestGridSessionArtifactsCommand({ sessionArn: session.arn }));
  assert.equal(artifacts[0].type, "SELENIUM_LOG");
  const log = await (await fetch(artifacts[0].url)).text();
  assert.ok(log.includes("/element") && !log.includes("4242"));
});
