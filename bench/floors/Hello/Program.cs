// Cold-start floor: start the runtime, print, exit. Nothing less can start on .NET.
Console.WriteLine("hello");
