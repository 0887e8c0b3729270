/** The studio page's entry: renders the app into the page's one element. */
import { render } from "preact";
import { App } from "./app.js";
import "./styles.css";

const root = document.getElementById("app");
if (root !== null) render(<App />, root);
