// Runs once, when the MongoDB volume is first initialised, as the root user: the API and
// the worker connect as lml_app, which may read and write the lml database and nothing else.
db.getSiblingDB("lml").createUser({
  user: "lml_app",
  pwd: process.env.MONGO_APP_PASSWORD,
  roles: [{ role: "readWrite", db: "lml" }],
});
