Console.WriteLine("SmallPay local stack: not wired yet");
