// The Node.js peer of the cold-start benchmark: one PutItem with @aws-sdk/client-dynamodb v3, then exit.
// Same configuration source and item as bench/floors/SdkPutItem (the .NET SDK floor).
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { randomUUID } from "node:crypto";

const table = process.argv[2];
if (!table) {
  console.error("usage: node put-item.mjs <table>");
  process.exit(2);
}
const client = new DynamoDBClient({
  endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
  region: process.env.AWS_REGION,
  credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY },
});
await client.send(new PutItemCommand({
  TableName: table,
  Item: {
    id: { S: `bench-floor#${randomUUID().replaceAll("-", "")}` },
    entity: { S: "BenchFloor" },
    runtime: { S: "node" },
  },
}));
console.log("put");
